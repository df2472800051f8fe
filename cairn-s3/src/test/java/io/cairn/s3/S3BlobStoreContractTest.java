package io.cairn.s3;

import io.cairn.spi.BlobStore;
import io.cairn.testkit.BlobStoreContract;
import io.cairn.testkit.S3Server;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.AbstractMap.SimpleEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtendWith;

/** The BlobStore contract against a real S3 protocol server (S3Proxy on 127.0.0.1). */
@ExtendWith(S3ProxyLimits.class)
class S3BlobStoreContractTest extends BlobStoreContract {
  private static final String PREFIX = "some/prefix/";

  private String bucket;

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
    bucket = server.newBucket();
    return S3BlobStore.open("s3://" + bucket + "/" + PREFIX, testOptions(server));
  }

  /**
   * The listing tests' thousands of blobs go straight into S3Proxy's storage, as the store's own
   * puts leave them (key under the prefix, SHA-256 in the metadata): a signed PUT and HEAD each
   * cost 10-20 ms here, which made this suite take a minute. They are then listed through the S3
   * protocol as any other object.
   */
  @Override
  protected void bulkPut(Collection<String> keys, Function<String, byte[]> value) {
    Map<String, Map.Entry<byte[], Map<String, String>>> objects = new HashMap<>();
    for (String key : keys) {
      byte[] bytes = value.apply(key);
      objects.put(
          PREFIX + key, new SimpleEntry<>(bytes, Map.of(Uploads.SHA256_METADATA, sha256(bytes))));
    }
    S3Server.shared().seed(bucket, objects);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
