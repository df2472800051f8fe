package io.cairn.s3;

import io.cairn.spi.BlobKey;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK failures into the {@link IOException}s the BlobStore contract promises. */
final class S3Errors {
  private S3Errors() {}

  static IOException io(String action, BlobKey key, SdkException e) {
    return new IOException(
        "s3 could not " + action + " blob '" + key + "': " + describe(e) + retried(e), e);
  }

  static IOException io(String action, SdkException e) {
    return new IOException("s3 could not " + action + ": " + describe(e) + retried(e), e);
  }

  /** A missing key; a missing bucket (which S3 also answers with 404) is a failure instead. */
  static boolean isNotFound(S3Exception e) {
    return e.statusCode() == 404 && !"NoSuchBucket".equals(code(e));
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static String describe(SdkException e) {
    if (e instanceof S3Exception s3) {
      String code = code(s3);
      String hint =
          s3.statusCode() == 403
              ? " (the credentials are refused: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or"
                  + " the profile)"
              : "NoSuchBucket".equals(code) ? " (create the bucket first)" : "";
      return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code) + hint;
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static String retried(SdkException e) {
    Integer attempts = e.numAttempts();
    return attempts != null && attempts > 1 ? " (after " + attempts + " attempts)" : "";
  }
}
