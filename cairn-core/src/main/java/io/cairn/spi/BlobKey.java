package io.cairn.spi;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * The name of a blob: segments separated by {@code '/'}, like a relative path or an S3 key.
 *
 * <p>A valid key is 1 to {@value #MAX_LENGTH} characters long, has no leading, trailing or double
 * {@code '/'}, and each segment is 1 to {@value #MAX_SEGMENT_LENGTH} characters from {@code
 * [A-Za-z0-9._%+=@,~-]} and is neither {@code "."} nor {@code ".."}. So a key is plain ASCII, its
 * {@link String} order is its byte order, and it is safe as a relative file path and as an S3 key.
 * Arbitrary text (user keys, parameters) becomes a segment through {@link #encodeSegment}.
 *
 * <p>Instances are immutable and thread-safe. Keys compare by their {@link #value()}, which is the
 * order of every {@link BlobStore#list listing}.
 *
 * @param value the key, for example {@code "pipeline/task/3f2a/output.csv"}
 */
public record BlobKey(String value) implements Comparable<BlobKey> {

  /** The longest key, in characters. */
  public static final int MAX_LENGTH = 1024;

  /** The longest segment, in characters. */
  public static final int MAX_SEGMENT_LENGTH = 255;

  private static final String RULES =
      "a blob key is 1.."
          + MAX_LENGTH
          + " characters of segments separated by single '/', each segment 1.."
          + MAX_SEGMENT_LENGTH
          + " characters from [A-Za-z0-9._%+=@,~-] and not \".\" or \"..\""
          + " (BlobKey.encodeSegment makes any text a valid segment)";

  // Encoded output stays well below MAX_SEGMENT_LENGTH so a caller can still add a suffix.
  private static final int MAX_ENCODED_LENGTH = 200;
  private static final int HASHED_HEAD_LENGTH = 100;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Validates the key.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is not a valid key; the message shows the key
   *     and what is allowed
   */
  public BlobKey {
    Objects.requireNonNull(value, "blob key value");
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(
          "Invalid blob key " + quote(value) + ": " + problem + "; " + RULES);
    }
  }

  /**
   * Joins segments (or already '/'-joined paths) with {@code '/'} into a key.
   *
   * @throws IllegalArgumentException if the joined result is not a valid key
   */
  public static BlobKey of(String first, String... more) {
    Objects.requireNonNull(first, "first");
    StringBuilder joined = new StringBuilder(first);
    for (String segment : more) {
      joined.append('/').append(Objects.requireNonNull(segment, "segment"));
    }
    return new BlobKey(joined.toString());
  }

  /**
   * Turns any non-empty text into a valid segment, injectively for all practical purposes.
   *
   * <p>The UTF-8 bytes of {@code text} outside {@code [A-Za-z0-9._=@,~-]} are percent-encoded
   * ({@code %XX}, upper-case hex), as are {@code '%'} itself, {@code '+'} and a leading {@code
   * '.'}, so distinct texts of moderate length give distinct segments and the result is never
   * {@code "."}, {@code ".."} or a hidden file name. An unpaired surrogate is encoded as its
   * three-byte generalized UTF-8 form, which valid UTF-8 never contains, so it stays distinct too.
   * When the encoding would exceed 200 characters, the result is its first 100 characters, {@code
   * '~'}, and 32 hex digits of the SHA-256 of the text's bytes: deterministic, bounded, and
   * distinct unless SHA-256 collides on 128 bits (or someone deliberately passes a text shaped like
   * such a hashed result).
   *
   * <p>Pure function, thread-safe.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is empty
   */
  public static String encodeSegment(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("Cannot encode an empty string as a blob key segment");
    }
    byte[] bytes = generalizedUtf8(text);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      if (isUnreserved(b) && !(i == 0 && b == '.')) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
      }
    }
    if (out.length() <= MAX_ENCODED_LENGTH) {
      return out.toString();
    }
    return out.substring(0, HASHED_HEAD_LENGTH) + "~" + sha256Hex(bytes).substring(0, 32);
  }

  /**
   * The key of {@code relative} (one segment, or several joined by {@code '/'}) under this key.
   *
   * @throws IllegalArgumentException if the result is not a valid key
   */
  public BlobKey resolve(String relative) {
    Objects.requireNonNull(relative, "relative");
    return new BlobKey(value + "/" + relative);
  }

  /** This key without its last segment, or empty for a single-segment key. */
  public Optional<BlobKey> parent() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? Optional.empty() : Optional.of(new BlobKey(value.substring(0, slash)));
  }

  /** The last segment of this key. */
  public String name() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  @Override
  public int compareTo(BlobKey other) {
    return value.compareTo(other.value);
  }

  /** The key itself, so keys read naturally in messages and logs. */
  @Override
  public String toString() {
    return value;
  }

  /** The problem with {@code value} as a key, or null if it is valid. */
  private static String problem(String value) {
    if (value.isEmpty()) {
      return "it is empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "it is " + value.length() + " characters long";
    }
    int start = 0;
    while (true) {
      int end = value.indexOf('/', start);
      if (end < 0) {
        end = value.length();
      }
      String segmentProblem = segmentProblem(value, start, end);
      if (segmentProblem != null) {
        return segmentProblem;
      }
      if (end == value.length()) {
        return null;
      }
      start = end + 1;
    }
  }

  private static String segmentProblem(String value, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return start == 0
          ? "it starts with '/'"
          : end == value.length() ? "it ends with '/'" : "it has an empty segment ('//')";
    }
    if (length > MAX_SEGMENT_LENGTH) {
      return "a segment is " + length + " characters long";
    }
    if ((length == 1 || length == 2) && value.regionMatches(start, "..", 0, length)) {
      return "segment \"" + value.substring(start, end) + "\" is not allowed";
    }
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (!isUnreserved(c) && c != '%' && c != '+') {
        return "character " + describe(c) + " at index " + i + " is not allowed";
      }
    }
    return null;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '='
        || c == '@'
        || c == ','
        || c == '~'
        || c == '-';
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** The key for an error message: control and non-ASCII characters escaped, huge keys cut. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(value.length(), 100);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        out.append(c);
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    out.append('"');
    if (shown < value.length()) {
      out.append("... (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }

  // Like String.getBytes(UTF_8), except that an unpaired surrogate is written as its own three
  // bytes instead of '?', so that two different strings never encode to the same bytes.
  private static byte[] generalizedUtf8(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    text.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x80) {
                out.write(cp);
              } else if (cp < 0x800) {
                out.write(0xC0 | (cp >> 6));
                out.write(0x80 | (cp & 0x3F));
              } else if (cp < 0x10000) {
                out.write(0xE0 | (cp >> 12));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
              } else {
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
              }
            });
    return out.toByteArray();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
