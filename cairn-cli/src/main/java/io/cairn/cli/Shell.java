package io.cairn.cli;

import java.util.regex.Pattern;

/** Quoting of values that hints print as commands to copy and paste. */
final class Shell {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private Shell() {}

  /** The value as one POSIX shell word. */
  static String quote(String s) {
    if (!s.isEmpty() && SAFE.matcher(s).matches()) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
