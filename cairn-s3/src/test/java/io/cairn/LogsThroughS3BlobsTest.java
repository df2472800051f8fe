package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.s3.S3BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Collection and pipeline job logs, published to S3 blobs instead of the home's directory. */
class LogsThroughS3BlobsTest extends LogsThroughBlobsTest {
  @BeforeEach
  @Override
  void open() {
    cairn = S3Blobs.open(home);
  }

  @Test
  void theseRunsUseTheBucketAndLeaveTheHomeWithoutBlobs() throws Exception {
    cairn.collection("c", (ident, args, ctx) -> ident);
    cairn.fetch("c", "k");

    assertThat(cairn.blobs()).isInstanceOf(S3BlobStore.class);
    assertThat(home.resolve("blobs")).doesNotExist();
  }
}
