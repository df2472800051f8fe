package io.cairn.pipeline;

import io.cairn.Cairn;
import io.cairn.S3Blobs;
import java.nio.file.Path;

/** A pipeline writing to a catalog repository whose objects are in S3. */
class CatalogRepositoryOnS3Test extends CatalogRepositoryTest {
  @Override
  Cairn openCairn(Path home) {
    return S3Blobs.open(home);
  }
}
