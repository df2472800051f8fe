package io.cairn.s3;

import io.cairn.Page;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link BlobStore} in an S3 bucket, or in an S3-compatible service (MinIO, Ceph, S3Proxy)
 * through an endpoint override and path-style access: the blob {@code a/b} is the object {@code
 * <prefix>a/b}, readable with any S3 tool.
 *
 * <h2>What is atomic</h2>
 *
 * <ul>
 *   <li>A put is atomic: S3 shows an object only once its {@code PutObject} or {@code
 *       CompleteMultipartUpload} succeeded, whole. A blob larger than one part (8 MiB by default)
 *       is a multipart upload streamed one part at a time, so memory stays at one part however
 *       large the blob; a failed put aborts its upload and publishes nothing under the key.
 *   <li>{@link #putIfAbsent} is a conditional write ({@code If-None-Match: *}) that S3 decides
 *       atomically across all clients; it first looks whether the key exists, so a present key's
 *       stream is not uploaded.
 *   <li>Not atomic: {@link #delete} (it looks, then deletes: two racing deletes may both say the
 *       blob existed), and a listing beside writers (S3 lists are consistent per request, but a
 *       paged listing is many requests). A blob and a prefix of other blobs may share a key, as S3
 *       allows.
 * </ul>
 *
 * <h2>Hashes</h2>
 *
 * <p>A put hashes the data as it streams it. A one-part blob carries its SHA-256 in its metadata; a
 * multipart blob's hash goes to a small record object beside it, named by the blob's ETag, see
 * {@link HashRecords}. Listings carry no hashes ({@link BlobInfo#sha256()} is null); {@link #info}
 * has them.
 *
 * <p>Transient failures (503 SlowDown, 500, timeouts, connection resets) are retried by the SDK
 * with exponential backoff and jitter, up to {@link S3Options#maxAttempts()} attempts per request;
 * one part of a multipart upload is one request, so a retry resends one part. Thread-safe; close it
 * to release its HTTP connections.
 */
public final class S3BlobStore implements BlobStore {
  private final S3Location location;
  private final S3Options options;
  private final S3Client client;
  private final S3Presigner presigner;
  private final Uploads uploads;
  private final HashRecords hashes;
  private volatile boolean bucketChecked;

  private S3BlobStore(S3Location location, S3Options options) {
    this.location = location;
    this.options = options;
    this.client = S3Clients.client(options);
    this.presigner = S3Clients.presigner(options);
    this.uploads = new Uploads(client, location.bucket(), options.partSize());
    this.hashes = new HashRecords(client, location.bucket(), location.prefix());
  }

  /**
   * Opens the store at {@code url}, {@code s3://bucket} or {@code s3://bucket/prefix}. Nothing is
   * sent to S3 until the first call. The bucket must exist: calls on a missing one fail with an
   * {@link IOException} that says so, never read as an empty store.
   *
   * @throws IllegalArgumentException if {@code url} is not such a url; the message says why
   * @throws NullPointerException if an argument is null
   */
  public static S3BlobStore open(String url, S3Options options) {
    Objects.requireNonNull(options, "options");
    return new S3BlobStore(S3Location.parse(url), options);
  }

  /**
   * Opens the store at {@code url} with {@link S3Options#fromEnvironment(Map) options from the
   * process environment} ({@code CAIRN_S3_ENDPOINT}, {@code AWS_REGION}, ...).
   *
   * @throws IllegalArgumentException if {@code url} or an environment variable is invalid
   */
  public static S3BlobStore open(String url) {
    return open(url, S3Options.fromEnvironment(System.getenv()));
  }

  /** The bucket and prefix, as {@code s3://bucket/prefix/}. */
  public String location() {
    return location.toString();
  }

  /** The options this store was opened with. */
  public S3Options options() {
    return options;
  }

  private String objectKey(BlobKey key) {
    return location.prefix() + key.value();
  }

  @Override
  public BlobInfo put(BlobKey key, InputStream data) throws IOException {
    return write(key, data, false).orElseThrow();
  }

  @Override
  public Optional<BlobInfo> putIfAbsent(BlobKey key, InputStream data) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    if (head(key) != null) {
      return Optional.empty(); // present: do not upload the stream only to be refused
    }
    return write(key, data, true);
  }

  private Optional<BlobInfo> write(BlobKey key, InputStream data, boolean createOnly)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    String objectKey = objectKey(key);
    Uploads.Published published = uploads.upload(key, objectKey, data, createOnly);
    if (published == null) {
      return Optional.empty();
    }
    boolean multipart = published.size() >= options.partSize();
    if (multipart) {
      try {
        hashes.write(key, published.etag(), published.size(), published.sha256());
      } catch (IOException e) {
        // The blob is published whole; without its record, info() hashes it once instead.
      }
    }
    return Optional.of(
        new BlobInfo(key, published.size(), lastModified(key, published), published.sha256()));
  }

  // A put's result must equal what info() reports, and only the object itself knows its time.
  private long lastModified(BlobKey key, Uploads.Published published) throws IOException {
    try {
      HeadObjectResponse head = head(key);
      if (head != null && Objects.equals(head.eTag(), published.etag())) {
        return head.lastModified().toEpochMilli();
      }
    } catch (IOException e) {
      // The blob is published: a failed look-up must not make the put look failed.
    }
    return System.currentTimeMillis(); // replaced by a racing put, or not looked up
  }

  @Override
  public Optional<InputStream> get(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    try {
      return Optional.of(client.getObject(b -> b.bucket(location.bucket()).key(objectKey(key))));
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Errors.io("read", key, e);
    } catch (SdkException e) {
      throw S3Errors.io("read", key, e);
    }
  }

  @Override
  public Optional<BlobInfo> info(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    for (int attempt = 0; attempt < 10; attempt++) {
      HeadObjectResponse head = head(key);
      if (head == null) {
        return Optional.empty();
      }
      long size = head.contentLength();
      String sha256 = head.metadata().get(Uploads.SHA256_METADATA);
      if (!BlobInfo.isSha256Hex(sha256)) {
        sha256 = hashes.read(key, head.eTag(), size);
      }
      if (sha256 == null) {
        sha256 = hashes.hashOf(key, objectKey(key), head.eTag(), size);
      }
      if (sha256 != null) {
        return Optional.of(new BlobInfo(key, size, head.lastModified().toEpochMilli(), sha256));
      }
    }
    throw new IOException(
        "blob '" + key + "' was replaced 10 times while its sha256 was computed; retry later");
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    return head(key) != null;
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    HeadObjectResponse head = head(key);
    if (head == null) {
      return false;
    }
    try {
      client.deleteObject(b -> b.bucket(location.bucket()).key(objectKey(key)));
    } catch (SdkException e) {
      throw S3Errors.io("delete", key, e);
    }
    if (!head.metadata().containsKey(Uploads.SHA256_METADATA)) {
      hashes.delete(key);
    }
    return true;
  }

  @Override
  public Page<BlobInfo> list(String prefix, String cursor, int limit) throws IOException {
    BlobStore.checkListArguments(prefix, cursor, limit);
    List<BlobInfo> found = new ArrayList<>();
    String startAfter = cursor == null ? null : location.prefix() + cursor;
    String token = null;
    // Ask for one more than the page, to know whether more follow; skip what is not a blob.
    while (found.size() <= limit) {
      String continuation = token;
      String after = startAfter;
      int want = Math.min(1000, limit + 1 - found.size());
      ListObjectsV2Response response;
      try {
        response =
            client.listObjectsV2(
                b ->
                    b.bucket(location.bucket())
                        .prefix(location.prefix() + prefix)
                        .startAfter(continuation == null ? after : null)
                        .continuationToken(continuation)
                        .maxKeys(want));
      } catch (SdkException e) {
        throw S3Errors.io("list " + location + prefix, e);
      }
      for (S3Object object : response.contents()) {
        BlobKey key = blobKeyOf(object.key());
        if (key != null && found.size() <= limit) {
          found.add(new BlobInfo(key, object.size(), object.lastModified().toEpochMilli()));
        }
      }
      if (!Boolean.TRUE.equals(response.isTruncated())) {
        break;
      }
      token = response.nextContinuationToken();
    }
    if (found.size() <= limit) {
      return new Page<>(found, null);
    }
    List<BlobInfo> page = List.copyOf(found.subList(0, limit));
    return new Page<>(page, page.get(limit - 1).key().value());
  }

  // Objects under the prefix that are no blob keys (hash records, foreign objects) are skipped.
  private BlobKey blobKeyOf(String objectKey) {
    if (!objectKey.startsWith(location.prefix())) {
      return null;
    }
    String value = objectKey.substring(location.prefix().length());
    if (value.indexOf('#') >= 0) {
      return null;
    }
    try {
      return new BlobKey(value);
    } catch (IllegalArgumentException notABlobKey) {
      return null;
    }
  }

  /**
   * A URL that downloads the blob with a plain HTTP GET, without credentials, until {@code
   * validFor} has passed. Signing is local: the blob need not exist now, and anyone holding the URL
   * can read it while it is valid.
   *
   * @param validFor 1 second to 7 days (S3's limit)
   * @throws IllegalArgumentException if {@code validFor} is out of range
   */
  public URI presignedGetUrl(BlobKey key, Duration validFor) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(validFor, "validFor");
    if (validFor.compareTo(Duration.ofSeconds(1)) < 0
        || validFor.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(
          "presigned url validity must be between 1 second and 7 days, was " + validFor);
    }
    try {
      return presigner
          .presignGetObject(
              p ->
                  p.signatureDuration(validFor)
                      .getObjectRequest(g -> g.bucket(location.bucket()).key(objectKey(key))))
          .url()
          .toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("the SDK signed an invalid url for " + key, e);
    }
  }

  @Override
  public Optional<URI> downloadUrl(BlobKey key, Duration validFor) {
    return Optional.of(presignedGetUrl(key, validFor));
  }

  private HeadObjectResponse head(BlobKey key) throws IOException {
    try {
      return client.headObject(b -> b.bucket(location.bucket()).key(objectKey(key)));
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        checkBucketOnce();
        return null;
      }
      throw S3Errors.io("look up", key, e);
    } catch (SdkException e) {
      throw S3Errors.io("look up", key, e);
    }
  }

  // A 404 to a HEAD has no body, so it cannot say whether the key or the whole bucket is missing;
  // the first one a store sees makes it ask the bucket, once.
  private void checkBucketOnce() throws IOException {
    if (bucketChecked) {
      return;
    }
    try {
      client.headBucket(b -> b.bucket(location.bucket()));
      bucketChecked = true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new IOException(
            "s3 bucket '"
                + location.bucket()
                + "' does not exist"
                + (options.endpoint() == null ? "" : " at " + options.endpoint())
                + ": create it first",
            e);
      }
      throw S3Errors.io("reach bucket " + location.bucket(), e);
    } catch (SdkException e) {
      throw S3Errors.io("reach bucket " + location.bucket(), e);
    }
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }

  @Override
  public String toString() {
    return "S3BlobStore[" + location + ", " + options + "]";
  }
}
