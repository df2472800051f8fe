package io.cairn.ssh;

import io.cairn.spi.ResourceExecutor;
import io.cairn.testkit.ResourceExecutorContract;
import io.cairn.testkit.SshTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The executor contract, run on a real SSH server of this machine. */
class SshExecutorContractTest extends ResourceExecutorContract {
  private static Path home;
  private static SshTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    home = Files.createTempDirectory("cairn-ssh-contract");
    server = SshTestServer.start(home.resolve("client"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected ResourceExecutor newExecutor(int capacity) {
    return SshExecutor.builder()
        .host(server.address())
        .key(server.keyFile())
        .knownHosts(server.knownHosts())
        .maxPerHost(capacity)
        .remoteDir(home.resolve("jobs").toString())
        .build();
  }

  @Override
  protected boolean runsScripts() {
    return true;
  }
}
