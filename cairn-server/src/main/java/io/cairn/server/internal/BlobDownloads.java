package io.cairn.server.internal;

import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Downloads of blobs the client can fetch from the blob store itself (S3): a redirect to a
 * short-lived presigned URL, so large outputs do not stream through the server.
 */
final class BlobDownloads {
  /** Long enough for a client to follow the redirect, short enough that a leaked URL soon dies. */
  static final Duration VALID_FOR = Duration.ofMinutes(5);

  private BlobDownloads() {}

  /**
   * Answers 307 to a presigned URL of {@code key} if the store has one and the blob exists (a
   * missing blob keeps the server's own 404); returns whether it did.
   */
  static boolean redirected(Context ctx, BlobStore blobs, BlobKey key) throws IOException {
    Optional<URI> url = blobs.downloadUrl(key, VALID_FOR);
    if (url.isEmpty() || !blobs.exists(key)) {
      return false;
    }
    // 307 keeps the method; the URL carries its own signature, so no Authorization is forwarded.
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(url.get().toString(), io.javalin.http.HttpStatus.TEMPORARY_REDIRECT);
    return true;
  }
}
