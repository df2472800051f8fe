package io.cairn;

import io.cairn.s3.S3BlobStore;
import io.cairn.s3.S3Options;
import io.cairn.testkit.S3Server;
import java.nio.file.Path;

/** Opens a Cairn whose blobs live in a fresh bucket of the shared S3Proxy, for reruns of tests. */
public final class S3Blobs {
  private S3Blobs() {}

  /** Options that reach the shared test server. */
  public static S3Options options() {
    S3Server server = S3Server.shared();
    return S3Options.defaults()
        .withEndpoint(server.endpoint())
        .withRegion(S3Server.REGION)
        .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
  }

  /** A Cairn at {@code home} with its blobs in a new bucket, under a prefix. */
  public static Cairn open(Path home) {
    S3BlobStore blobs =
        S3BlobStore.open("s3://" + S3Server.shared().newBucket() + "/project", options());
    return Cairn.builder().home(home).blobStore(blobs).open();
  }
}
