package io.cairn.testkit;

import io.cairn.internal.blob.InMemoryBlobStore;
import io.cairn.spi.BlobStore;
import java.nio.file.Path;

class InMemoryBlobStoreTest extends BlobStoreContract {

  @Override
  protected BlobStore newStore(Path tempDir) {
    return new InMemoryBlobStore();
  }
}
