package io.cairn.s3;

import io.cairn.spi.BlobKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams one put into S3, holding at most one part in memory.
 *
 * <p>A blob that fits in one part goes up in one {@code PutObject} whose metadata carries its
 * SHA-256. A larger one is a multipart upload to its real key: the parts are uploaded as they are
 * read, and S3 makes the object visible only when {@code CompleteMultipartUpload} succeeds, whole;
 * any failure before that aborts the upload, so no partial object ever appears under the key. Its
 * hash is known only at the end, after the object's metadata is fixed, so it is recorded in a
 * {@link HashRecords hash record} beside the blob. A create-only put sends {@code If-None-Match: *}
 * with the {@code PutObject} or the {@code CompleteMultipartUpload}: S3 refuses it with 412 if the
 * key exists, atomically, across all clients.
 */
final class Uploads {
  /** The metadata name of a blob's SHA-256 (sent as {@code x-amz-meta-cairn-sha256}). */
  static final String SHA256_METADATA = "cairn-sha256";

  /** What a finished upload published. */
  record Published(String etag, String sha256, long size) {}

  private final S3Client client;
  private final String bucket;
  private final int partSize;

  Uploads(S3Client client, String bucket, long partSize) {
    this.client = client;
    this.bucket = bucket;
    this.partSize = (int) Math.min(partSize, Integer.MAX_VALUE - 64);
  }

  /**
   * Uploads {@code data} as {@code objectKey}.
   *
   * @return what was published, or null if {@code createOnly} and the key already existed
   */
  Published upload(BlobKey key, String objectKey, InputStream data, boolean createOnly)
      throws IOException {
    MessageDigest digest = newDigest();
    byte[] first = data.readNBytes(partSize);
    digest.update(first);
    if (first.length < partSize) {
      String sha256 = hex(digest);
      try {
        var response =
            client.putObject(
                b -> {
                  b.bucket(bucket).key(objectKey).metadata(Map.of(SHA256_METADATA, sha256));
                  if (createOnly) {
                    b.ifNoneMatch("*");
                  }
                },
                RequestBody.fromBytes(first));
        return new Published(response.eTag(), sha256, first.length);
      } catch (S3Exception e) {
        if (createOnly && isPreconditionFailure(e)) {
          return null;
        }
        throw S3Errors.io("put", key, e);
      } catch (SdkException e) {
        throw S3Errors.io("put", key, e);
      }
    }
    return multipart(key, objectKey, first, data, digest, createOnly);
  }

  private Published multipart(
      BlobKey key,
      String objectKey,
      byte[] first,
      InputStream data,
      MessageDigest digest,
      boolean createOnly)
      throws IOException {
    String uploadId;
    try {
      uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)).uploadId();
    } catch (SdkException e) {
      throw S3Errors.io("start a multipart upload of", key, e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long size = 0;
      byte[] buffer = first;
      int length = first.length;
      while (length > 0) {
        int number = parts.size() + 1;
        long partLength = length;
        RequestBody body = RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(buffer, 0, length));
        String etag =
            client
                .uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key(objectKey)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength(partLength),
                    body)
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        size += length;
        // Reuse the first buffer: one part in memory, however large the blob.
        length = data.readNBytes(buffer, 0, buffer.length);
        digest.update(buffer, 0, length);
      }
      String sha256 = hex(digest);
      String etag;
      try {
        etag =
            client
                .completeMultipartUpload(
                    b -> {
                      b.bucket(bucket)
                          .key(objectKey)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts));
                      if (createOnly) {
                        b.ifNoneMatch("*");
                      }
                    })
                .eTag();
      } catch (S3Exception e) {
        if (createOnly && isPreconditionFailure(e)) {
          return null; // the upload is aborted below
        }
        throw e;
      }
      completed = true;
      return new Published(etag, sha256, size);
    } catch (SdkException e) {
      throw S3Errors.io("upload", key, e);
    } finally {
      if (!completed) {
        abort(objectKey, uploadId);
      }
    }
  }

  // Best effort: an upload left behind is invisible (never an object) and a bucket lifecycle rule
  // (AbortIncompleteMultipartUpload) reclaims its parts.
  private void abort(String objectKey, String uploadId) {
    try {
      client.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
    } catch (SdkException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  // 412 PreconditionFailed: the key exists. (409 ConditionalRequestConflict, a racing write whose
  // outcome is not known yet, stays an IOException: claiming "present" could lose the blob.)
  static boolean isPreconditionFailure(S3Exception e) {
    return e.statusCode() == 412;
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
