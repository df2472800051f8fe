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
    return checkCollection(name, "collection");
  }

  /**
   * Checks the name of a collection, map, tracker, pipeline or task ({@code what}): 1-128 ASCII
   * letters, digits, '_', '.', '-', starting with a letter or digit. The message names the first
   * character that breaks the rule and its index.
   */
  public static String checkCollection(String name, String what) {
    if (name == null || !COLLECTION.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name "
              + quote(name)
              + badCharacter(name)
              + ": use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return name;
  }

  /**
   * Names an invisible offending character (a control character, a lone surrogate, any non-ASCII)
   * and its index; a visible one needs no help, the quoted name shows it.
   */
  private static String badCharacter(String name) {
    if (name == null) {
      return "";
    }
    for (int i = 0; i < name.length() && i < 128; i++) {
      char c = name.charAt(i);
      if (c < 32 || c > 126) {
        return String.format(" (character \\u%04X at index %d is not allowed)", (int) c, i);
      }
    }
    return "";
  }

  /**
   * Checks a resource key (ident): non-empty, valid Unicode without NUL, at most 64 KiB of UTF-8.
   */
  public static String checkKey(String key) {
    return checkKey(key, "ident");
  }

  /**
   * Checks a key, naming it {@code what} in messages ("ident", "key"): non-empty, valid Unicode (no
   * lone surrogate, which SQLite and UTF-8 cannot store and would silently turn into '?'), no NUL,
   * at most 64 KiB of UTF-8.
   */
  public static String checkKey(String key, String what) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    int nul = key.indexOf('\0');
    if (nul >= 0) {
      throw new IllegalArgumentException(
          what
              + " "
              + quote(key)
              + " contains a NUL character at index "
              + nul
              + ", which Cairn does not store");
    }
    int bad = loneSurrogate(key);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          what
              + " "
              + quote(key)
              + " is not valid Unicode: lone surrogate "
              + String.format("\\u%04X", (int) key.charAt(bad))
              + " at index "
              + bad
              + " (a string cut inside an emoji?); pass whole characters");
    }
    if (key.length() > MAX_KEY_BYTES / 3
        && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          what + " " + quote(key) + " is longer than " + MAX_KEY_BYTES + " bytes of UTF-8");
    }
    return key;
  }

  /**
   * The index of the first UTF-16 surrogate that is not part of a pair, or -1 if the text is valid
   * Unicode.
   */
  public static int loneSurrogate(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < Character.MIN_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A printable, shortened form of a user value for error messages. */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 60 ? s.substring(0, 60) + "... (" + s.length() + " chars)" : s;
    StringBuilder out = new StringBuilder(shown.length() + 2).append('\'');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
                  && i + 1 < shown.length()
                  && Character.isLowSurrogate(shown.charAt(i + 1))
              || Character.isLowSurrogate(c)
                  && i > 0
                  && Character.isHighSurrogate(shown.charAt(i - 1));
      if (c == '\0') {
        out.append("\\0");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (Character.isSurrogate(c) && !paired) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('\'').toString();
  }
}
