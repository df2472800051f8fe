package io.cairn.spi;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.internal.blob.InMemoryBlobStore;
import java.nio.file.Path;

/** The blob stores cairn-core ships. */
public final class BlobStores {
  private BlobStores() {}

  /**
   * Blobs as files under {@code root}, written atomically (temp file, fsync, rename; a hard link
   * for {@code putIfAbsent}), each with its SHA-256 recorded in a hidden sidecar file. A key cannot
   * be both a blob and the parent of blobs here.
   */
  public static BlobStore fileSystem(Path root) {
    return new FileSystemBlobStore(root);
  }

  /**
   * Blobs in memory: nothing survives the process; for tests. Keys are a flat name space, as in S3.
   */
  public static BlobStore inMemory() {
    return new InMemoryBlobStore();
  }
}
