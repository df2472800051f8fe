package io.cairn.cli;

import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog commands with the objects in an S3 bucket ({@code --blobs s3://...}). */
@ExtendWith(OnS3Cli.class)
class CatalogCommandsOnS3Test extends CatalogCommandsTest {}
