/**
 * Blobs in S3 or an S3-compatible service: {@link io.cairn.s3.S3BlobStore}, opened directly or by
 * {@code io.cairn.spi.BlobStores.open("s3://bucket/prefix")} when this module is on the class path.
 */
package io.cairn.s3;
