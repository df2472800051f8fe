package io.cairn.spi;

import java.util.Objects;

/**
 * What a store knows about one blob, without its content.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the blob's key
 * @param size the blob's length in bytes
 * @param lastModified when the blob was last written, in milliseconds since the epoch
 * @param sha256 the SHA-256 of the blob's content as 64 lower-case hex digits; always present in
 *     what {@link BlobStore#put}, {@link BlobStore#putIfAbsent} and {@link BlobStore#info} return,
 *     and {@code null} in a {@link BlobStore#list} page whose backend does not carry hashes in
 *     listings (see the backend's documentation)
 */
public record BlobInfo(BlobKey key, long size, long lastModified, String sha256) {

  /**
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code size} is negative, or {@code sha256} is neither null
   *     nor 64 lower-case hex digits
   */
  public BlobInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("blob size must be >= 0, was " + size + " for " + key);
    }
    if (sha256 != null && !isSha256Hex(sha256)) {
      throw new IllegalArgumentException(
          "blob sha256 must be 64 lower-case hex digits, was \""
              + (sha256.length() > 80 ? sha256.substring(0, 80) + "..." : sha256)
              + "\" for "
              + key);
    }
  }

  /** Information without a content hash, as some backends' listings return it. */
  public BlobInfo(BlobKey key, long size, long lastModified) {
    this(key, size, lastModified, null);
  }

  /** Whether {@code text} is a SHA-256 as this record holds it: 64 lower-case hex digits. */
  public static boolean isSha256Hex(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
