package io.cairn.cli;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL and S3 together ({@code --store postgresql://... --blobs s3://...}): a YAML pipeline's
 * script outputs and job logs, read back with {@code cat} and {@code log}, and a catalog object put
 * and got, with nothing of them in the home.
 */
@ExtendWith(OnPostgresCli.class)
class S3BlobsOnPostgresCliTest extends S3BlobsCliTest {}
