package io.cairn.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link S3BlobStore} reaches its bucket. Start from {@link #defaults()} (AWS, region and
 * credentials from the SDK's default chains) or {@link #fromEnvironment(Map)}, and change single
 * settings with the {@code with*} methods, each of which validates its value.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret key.
 *
 * @param endpoint the service's URL for S3-compatible services (MinIO, Ceph, S3Proxy), or null for
 *     AWS itself
 * @param region the region to sign for, or null for the SDK's region chain ({@code AWS_REGION},
 *     profile, instance metadata), falling back to {@code us-east-1}
 * @param pathStyle whether to address buckets as {@code endpoint/bucket/key} rather than {@code
 *     bucket.endpoint/key}; S3-compatible services usually need it
 * @param accessKeyId a fixed access key id, or null for the SDK's default credentials chain
 *     (environment, system properties, profile, container and instance roles)
 * @param secretAccessKey the secret belonging to {@code accessKeyId}, or null with it
 * @param partSize bytes per part of a multipart upload, and the largest blob sent in one request; 5
 *     MiB to 5 GiB. A put holds one part in memory at a time
 * @param maxAttempts attempts per request, transient failures (503 SlowDown, 500, timeouts,
 *     connection resets) retried with exponential backoff and jitter; 1 to 20
 * @param attemptTimeout how long one request attempt may take before it is abandoned and retried
 */
public record S3Options(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    long partSize,
    int maxAttempts,
    Duration attemptTimeout) {

  /** The smallest part S3 accepts (except for an upload's last part). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** The largest part S3 accepts. */
  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  /** The region used when neither the options nor the SDK's chain name one. */
  public static final String DEFAULT_REGION = "us-east-1";

  /**
   * @throws IllegalArgumentException if a value is out of range; the message names it and the range
   */
  public S3Options {
    if (endpoint != null) {
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "s3 endpoint must be an http:// or https:// url with a host, was '" + endpoint + "'");
      }
    }
    if (region != null && region.isBlank()) {
      throw new IllegalArgumentException("s3 region must not be blank: pass null for the default");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "s3 credentials need both an access key id and a secret key, or neither for the"
              + " default chain");
    }
    if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          "s3 part size must be between 5 MiB and 5 GiB (S3's limits), was " + partSize);
    }
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException(
          "s3 max attempts must be between 1 and 20, was " + maxAttempts);
    }
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException(
          "s3 attempt timeout must be positive, was " + attemptTimeout);
    }
  }

  /**
   * AWS S3 itself: region and credentials from the SDK's chains, 8 MiB parts, 5 attempts, 2 minutes
   * per attempt.
   */
  public static S3Options defaults() {
    return new S3Options(null, null, false, null, null, 8L * 1024 * 1024, 5, Duration.ofMinutes(2));
  }

  /**
   * The defaults, changed by these variables of {@code env} when set: {@code CAIRN_S3_ENDPOINT},
   * else {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (an endpoint turns on
   * path-style access); {@code CAIRN_S3_PATH_STYLE} ({@code true}/{@code false}); {@code
   * CAIRN_S3_REGION}, else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else the SDK's
   * chain; {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (without {@code
   * AWS_SESSION_TOKEN}), else the SDK's default credentials chain (profiles, roles, ...).
   *
   * @throws IllegalArgumentException if a variable's value is invalid; the message names it
   */
  public static S3Options fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    S3Options options = defaults();
    String endpoint = firstSet(env, "CAIRN_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    if (endpoint != null) {
      try {
        options = options.withEndpoint(URI.create(endpoint.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid s3 endpoint '" + endpoint + "' in the environment: " + e.getMessage(), e);
      }
    }
    String pathStyle = env.get("CAIRN_S3_PATH_STYLE");
    if (pathStyle != null && !pathStyle.isBlank()) {
      String value = pathStyle.trim().toLowerCase(Locale.ROOT);
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(
            "CAIRN_S3_PATH_STYLE must be true or false, was '" + pathStyle + "'");
      }
      options = options.withPathStyle(value.equals("true"));
    }
    String region = firstSet(env, "CAIRN_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION");
    if (region != null) {
      options = options.withRegion(region.trim());
    }
    // Keys given in this map are used as they are (the SDK's chain reads only the process's own
    // environment); with a session token, the chain is left to find the whole set itself.
    String keyId = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (keyId != null
        && !keyId.isBlank()
        && secret != null
        && !secret.isBlank()
        && env.get("AWS_SESSION_TOKEN") == null) {
      options = options.withCredentials(keyId.trim(), secret.trim());
    }
    return options;
  }

  private static String firstSet(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** These options for an S3-compatible service at {@code endpoint}, with path-style access. */
  public S3Options withEndpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    return new S3Options(
        endpoint,
        region,
        true,
        accessKeyId,
        secretAccessKey,
        partSize,
        maxAttempts,
        attemptTimeout);
  }

  /** These options with path-style access on or off. */
  public S3Options withPathStyle(boolean pathStyle) {
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        partSize,
        maxAttempts,
        attemptTimeout);
  }

  /** These options signing for {@code region}. */
  public S3Options withRegion(String region) {
    Objects.requireNonNull(region, "region");
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        partSize,
        maxAttempts,
        attemptTimeout);
  }

  /** These options with fixed credentials instead of the SDK's default chain. */
  public S3Options withCredentials(String accessKeyId, String secretAccessKey) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        partSize,
        maxAttempts,
        attemptTimeout);
  }

  /** These options with parts of {@code bytes}. */
  public S3Options withPartSize(long bytes) {
    return new S3Options(
        endpoint,
        region,
        pathStyle,
        accessKeyId,
        secretAccessKey,
        bytes,
        maxAttempts,
        attemptTimeout);
  }

  /** These options with {@code attempts} per request and {@code timeout} per attempt. */
  public S3Options withRetries(int attempts, Duration timeout) {
    return new S3Options(
        endpoint, region, pathStyle, accessKeyId, secretAccessKey, partSize, attempts, timeout);
  }

  /** The options without the secret key. */
  @Override
  public String toString() {
    return "S3Options[endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (accessKeyId == null ? "default chain" : accessKeyId + ":****")
        + ", partSize="
        + partSize
        + ", maxAttempts="
        + maxAttempts
        + ", attemptTimeout="
        + attemptTimeout
        + "]";
  }
}
