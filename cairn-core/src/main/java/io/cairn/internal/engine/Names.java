package io.cairn.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Validation of collection names and resource keys, with messages that say how to fix them. */
public final class Names {
  private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** Keys longer than this (UTF-8 bytes) are refused; paths are hashed well before that. */
  public static final int MAX_KEY_BYTES = 65_536;

  private Names() {}

  /**
   * Checks a collection name: 1-128 characters, letters, digits, '_', '.', '-', starting with a
   * letter or digit.
   */
  public static String checkCollection(String name) {
    if (name == null || !COLLECTION.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid collection name "
              + quote(name)
              + ": use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return name;
  }

  /** Checks a resource key (ident): non-empty, no NUL, at most 64 KiB of UTF-8. */
  public static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("ident must not be empty");
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "ident " + quote(key) + " contains a NUL character, which Cairn does not store");
    }
    if (key.length() > MAX_KEY_BYTES / 3
        && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "ident " + quote(key) + " is longer than " + MAX_KEY_BYTES + " bytes of UTF-8");
    }
    return key;
  }

  /** A printable, shortened form of a user value for error messages. */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 60 ? s.substring(0, 60) + "... (" + s.length() + " chars)" : s;
    return "'" + shown.replace("\0", "\\0").replace("\n", "\\n") + "'";
  }
}
