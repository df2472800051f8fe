package io.cairn.s3;

import io.cairn.spi.BlobStore;
import io.cairn.testkit.BlobStoreContract;
import io.cairn.testkit.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The BlobStore contract against a real S3 protocol server (S3Proxy on 127.0.0.1). */
@ExtendWith(S3ProxyLimits.class)
class S3BlobStoreContractTest extends BlobStoreContract {

  /** Options for the shared test server, with fixed credentials and the smallest parts. */
  static S3Options testOptions(S3Server server) {
    return S3Options.defaults()
        .withEndpoint(server.endpoint())
        .withRegion(S3Server.REGION)
        .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)
        .withPartSize(S3Options.MIN_PART_SIZE);
  }

  @Override
  protected BlobStore newStore(Path tempDir) {
    S3Server server = S3Server.shared();
    return S3BlobStore.open("s3://" + server.newBucket() + "/some/prefix", testOptions(server));
  }
}
