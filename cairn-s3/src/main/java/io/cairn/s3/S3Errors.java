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

  static boolean isNotFound(S3Exception e) {
    return e.statusCode() == 404;
  }

  private static String describe(SdkException e) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static String retried(SdkException e) {
    Integer attempts = e.numAttempts();
    return attempts != null && attempts > 1 ? " (after " + attempts + " attempts)" : "";
  }
}
