package io.cairn.s3;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.internal.blob.Sha256;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The SHA-256 of blobs whose metadata cannot carry it (multipart uploads, whose metadata is fixed
 * before their bytes are read), kept in small objects under {@code <prefix>.cairn#/sha256/<key>}.
 * '#' is never in a blob key, so these never show as blobs.
 *
 * <p>A record names the object it describes by its ETag and size, and is trusted only while the
 * blob still has them: a crash between the upload and its record, a racing put, or an object
 * written by other tools makes {@link #hashOf} read the blob whole once, hash it and record that.
 * So a hash returned is always the hash of the blob's bytes.
 */
final class HashRecords {
  static final String RESERVED_SEGMENT = ".cairn#";

  private final S3Client client;
  private final String bucket;
  private final String prefix;

  HashRecords(S3Client client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  private String recordKey(BlobKey key) {
    return prefix + RESERVED_SEGMENT + "/sha256/" + key.value();
  }

  void write(BlobKey key, String etag, long size, String sha256) throws IOException {
    String line = etag + " " + size + " " + sha256;
    try {
      client.putObject(
          b -> b.bucket(bucket).key(recordKey(key)), RequestBody.fromString(line, UTF_8));
    } catch (SdkException e) {
      throw S3Errors.io("record the sha256 of", key, e);
    }
  }

  /** The recorded hash if it describes the object with this ETag and size, else null. */
  String read(BlobKey key, String etag, long size) throws IOException {
    String line;
    try {
      line = client.getObjectAsBytes(b -> b.bucket(bucket).key(recordKey(key))).asUtf8String();
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        return null;
      }
      throw S3Errors.io("read the sha256 record of", key, e);
    } catch (SdkException e) {
      throw S3Errors.io("read the sha256 record of", key, e);
    }
    String[] fields = line.trim().split(" ");
    if (fields.length == 3
        && fields[0].equals(etag)
        && fields[1].equals(Long.toString(size))
        && BlobInfo.isSha256Hex(fields[2])) {
      return fields[2];
    }
    return null;
  }

  /**
   * Hashes the object with this ETag by reading it whole, and records the result.
   *
   * @return the hash, or null if the object changed or vanished meanwhile (the caller looks again)
   */
  String hashOf(BlobKey key, String objectKey, String etag, long size) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = client.getObject(b -> b.bucket(bucket).key(objectKey).ifMatch(etag))) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e) || e.statusCode() == 412) {
        return null;
      }
      throw S3Errors.io("hash", key, e);
    } catch (SdkException e) {
      throw S3Errors.io("hash", key, e);
    }
    String sha256 = Sha256.hex(digest);
    write(key, etag, size, sha256);
    return sha256;
  }

  /** Deletes the record of a deleted blob; a leftover record is harmless (it names the ETag). */
  void delete(BlobKey key) {
    try {
      client.deleteObject(b -> b.bucket(bucket).key(recordKey(key)));
    } catch (SdkException ignored) {
      // A stale record never matches a later object's ETag and size, so it is never trusted.
    }
  }
}
