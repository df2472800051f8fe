package io.cairn.cli;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The catalog commands with the catalog in PostgreSQL ({@code --store}) and its objects in an S3
 * bucket ({@code --blobs}): the production layout.
 */
@ExtendWith({OnPostgresCli.class, OnS3Cli.class})
class CatalogCommandsOnPostgresAndS3Test extends CatalogCommandsTest {}
