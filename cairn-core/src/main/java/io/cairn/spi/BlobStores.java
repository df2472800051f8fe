package io.cairn.spi;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.internal.blob.InMemoryBlobStore;
import java.nio.file.Path;

/** The blob stores cairn-core ships. */
public final class BlobStores {
  private BlobStores() {}

  /** Blobs as files under {@code root}, written atomically (temp file, fsync, rename). */
  public static BlobStore fileSystem(Path root) {
    return new FileSystemBlobStore(root);
  }

  /** Blobs in memory: nothing survives the process; for tests. */
  public static BlobStore inMemory() {
    return new InMemoryBlobStore();
  }
}
