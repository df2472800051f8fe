package io.cairn.cli;

import io.cairn.testkit.S3Server;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs every test of a CLI test class with {@code --blobs} in a fresh bucket of the shared S3Proxy,
 * the endpoint and credentials in the environment: {@code @ExtendWith(OnS3Cli.class) class
 * XOnS3Test extends XTest {}}. Combines with {@link OnPostgresCli}.
 */
final class OnS3Cli implements BeforeEachCallback, AfterEachCallback {
  /** The environment a run needs to reach the shared test server. */
  static Map<String, String> environment() {
    S3Server server = S3Server.shared();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CAIRN_S3_ENDPOINT", server.endpoint().toString());
    env.put("AWS_REGION", S3Server.REGION);
    env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    env.remove("CAIRN_BLOBS");
    return env;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    CliRun.environment = environment();
    CliRun.blobs = "s3://" + S3Server.shared().newBucket() + "/proj";
  }

  @Override
  public void afterEach(ExtensionContext context) {
    CliRun.blobs = null;
    CliRun.environment = null;
  }
}
