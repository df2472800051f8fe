package io.cairn.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Where a store's blobs live: a bucket and a key prefix, parsed from {@code s3://bucket/prefix}.
 *
 * @param bucket the bucket's name
 * @param prefix "" for the whole bucket, else the prefix ending in '/'
 */
record S3Location(String bucket, String prefix) {

  static S3Location parse(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(url, "it is not a url");
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw invalid(url, "it does not start with s3://");
    }
    String bucket = uri.getAuthority();
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw invalid(url, "the bucket must be 3..63 characters from [a-z0-9.-]");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw invalid(url, "it has a query or fragment");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
    if (prefix.contains("//") || prefix.contains("#")) {
      throw invalid(url, "the prefix has an empty segment or a '#'");
    }
    return new S3Location(bucket, prefix.isEmpty() ? "" : prefix + "/");
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "invalid s3 location '" + url + "': " + why + "; use s3://bucket or s3://bucket/prefix");
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
