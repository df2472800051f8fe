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
 */
public record BlobInfo(BlobKey key, long size, long lastModified) {

  /**
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public BlobInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("Blob size must be >= 0, was " + size + " for " + key);
    }
  }
}
