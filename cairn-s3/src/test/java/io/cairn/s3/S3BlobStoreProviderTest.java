package io.cairn.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.testkit.S3Server;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With cairn-s3 on the class path, s3:// locations open an S3 store configured from env. */
class S3BlobStoreProviderTest {
  @Test
  void anS3LocationOpensThroughTheServiceLoaderWithEnvironmentSettings() throws Exception {
    S3Server server = S3Server.shared();
    String bucket = server.newBucket();
    Map<String, String> env =
        Map.of(
            "AWS_ENDPOINT_URL", server.endpoint().toString(),
            "AWS_REGION", S3Server.REGION,
            "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);

    try (BlobStore store = BlobStores.open("s3://" + bucket + "/team/project", env)) {
      store.putBytes(new BlobKey("x/y"), new byte[] {42});

      assertThat(store).isInstanceOf(S3BlobStore.class);
      assertThat(((S3BlobStore) store).location()).isEqualTo("s3://" + bucket + "/team/project/");
      assertThat(((S3BlobStore) store).options().pathStyle()).isTrue();
      assertThat(store.toString()).doesNotContain(S3Server.SECRET_KEY);
      assertThat(store.getBytes(new BlobKey("x/y"))).hasValue(new byte[] {42});
    }
  }
}
