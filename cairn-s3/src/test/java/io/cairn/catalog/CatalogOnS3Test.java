package io.cairn.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.S3Blobs;
import io.cairn.s3.S3BlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalog's end-to-end tests with its objects in S3 (a fresh bucket per project). */
class CatalogOnS3Test extends CatalogTest {
  @Override
  Cairn openCairn(Path home) {
    return S3Blobs.open(home);
  }

  /** 150 took 15 s against S3Proxy here (each put and gc is several signed round trips). */
  @Override
  int racingPuts() {
    return 40;
  }

  @Test
  void objectsLiveInTheBucketAndNotInTheHome() throws Exception {
    String id = catalog.put(utf8("in the bucket"), PutOptions.defaults()).id();

    assertThat(cairn.blobs()).isInstanceOf(S3BlobStore.class);
    assertThat(cairn.blobs().getBytes(blobKey(id))).hasValue(utf8("in the bucket"));
    assertThat(dir.resolve("home/blobs")).doesNotExist();
  }
}
