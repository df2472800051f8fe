package io.cairn.s3;

import io.cairn.internal.blob.Sha256;
import io.cairn.spi.BlobKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 *
 * <p>Every put tags its object with a random write id in its metadata. When S3 carries out a
 * request but its answer is lost (a reset connection), the SDK retries it, and a create-only retry
 * is then refused by the object its own first attempt wrote (412), or a completion finds its upload
 * gone (404): the write id tells that the object is this put's, so it counts as written, not as
 * "someone else was first".
 */
final class Uploads {
  /** The metadata name of a blob's SHA-256 (sent as {@code x-amz-meta-cairn-sha256}). */
  static final String SHA256_METADATA = "cairn-sha256";

  /**
   * The metadata name of the id a put gives its object ({@code x-amz-meta-cairn-write}), so that a
   * retried create-only write refused by its own first attempt knows the object is its own.
   */
  static final String WRITE_METADATA = "cairn-write";

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
    MessageDigest digest = Sha256.newDigest();
    String writeId = UUID.randomUUID().toString();
    byte[] first = data.readNBytes(partSize);
    digest.update(first);
    if (first.length < partSize) {
      String sha256 = Sha256.hex(digest);
      try {
        var response =
            client.putObject(
                b -> {
                  b.bucket(bucket)
                      .key(objectKey)
                      .metadata(Map.of(SHA256_METADATA, sha256, WRITE_METADATA, writeId));
                  if (createOnly) {
                    b.ifNoneMatch("*");
                  }
                },
                body(first, first.length));
        return new Published(response.eTag(), sha256, first.length);
      } catch (S3Exception e) {
        if (createOnly && isPreconditionFailure(e)) {
          return ours(key, objectKey, writeId, sha256);
        }
        throw S3Errors.io("put", key, e);
      } catch (SdkException e) {
        throw S3Errors.io("put", key, e);
      }
    }
    return multipart(key, objectKey, first, data, digest, createOnly, writeId);
  }

  private Published multipart(
      BlobKey key,
      String objectKey,
      byte[] first,
      InputStream data,
      MessageDigest digest,
      boolean createOnly,
      String writeId)
      throws IOException {
    String uploadId;
    try {
      uploadId =
          client
              .createMultipartUpload(
                  b -> b.bucket(bucket).key(objectKey).metadata(Map.of(WRITE_METADATA, writeId)))
              .uploadId();
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
        RequestBody body = body(buffer, length);
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
      String sha256 = Sha256.hex(digest);
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
        // 412: the key exists. 404 NoSuchUpload: the upload is gone. Either is also what a retry
        // sees when S3 completed the first attempt but its answer was lost.
        if ((createOnly && isPreconditionFailure(e)) || S3Errors.isNotFound(e)) {
          Published ours = ours(key, objectKey, writeId, sha256);
          completed = ours != null;
          if (ours != null || createOnly && isPreconditionFailure(e)) {
            return ours; // else the upload is aborted below
          }
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

  /**
   * What this write published, if the object under the key is the one it wrote (its write id): a
   * request S3 carried out, whose answer was lost and whose retry then was refused, succeeded. Null
   * if the object is another writer's, or absent.
   */
  private Published ours(BlobKey key, String objectKey, String writeId, String sha256)
      throws IOException {
    try {
      var head = client.headObject(b -> b.bucket(bucket).key(objectKey));
      if (writeId.equals(head.metadata().get(WRITE_METADATA))) {
        return new Published(head.eTag(), sha256, head.contentLength());
      }
      return null;
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        return null;
      }
      throw S3Errors.io("look up", key, e);
    } catch (SdkException e) {
      throw S3Errors.io("look up", key, e);
    }
  }

  // A body over the part buffer itself, not a copy (RequestBody.fromBytes copies), that a retry
  // reads again from the start.
  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
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
}
