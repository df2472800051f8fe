package io.cairn.pipeline;

import io.cairn.S3Blobs;
import org.junit.jupiter.api.BeforeEach;

/** Pipeline outputs, staged and published when the attempt completes, with S3 blobs. */
class PipelineOutputsOnS3Test extends PipelineOutputsTest {
  @BeforeEach
  @Override
  void open() {
    cairn = S3Blobs.open(home);
  }
}
