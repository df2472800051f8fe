package io.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.testkit.Await;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SshTestServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a remote executor has to get right, against a real SSH server of this machine. */
class SshExecutorTest {
  private static final Duration PROMPT = Duration.ofSeconds(10);
  private static Path home;
  private static SshTestServer server;

  @TempDir Path tmp;
  private final List<ResourceExecutor> made = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    home = Files.createTempDirectory("cairn-ssh-test");
    server = SshTestServer.start(home.resolve("client"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeExecutors() {
    made.forEach(ResourceExecutor::close);
  }

  private ResourceExecutor executor(int perHost, Path knownHosts) {
    ResourceExecutor e =
        SshExecutor.builder()
            .host(server.address())
            .key(server.keyFile())
            .knownHosts(knownHosts)
            .maxPerHost(perHost)
            .remoteDir(jobs().toString())
            .reconnects(2)
            .build();
    made.add(e);
    return e;
  }

  private Path jobs() {
    return tmp.resolve("jobs");
  }

  private static WorkSpec.Script script(
      String text, Duration timeout, List<WorkSpec.Transfer> outputs) {
    return new WorkSpec.Script(
        List.of("/bin/sh", "-c", text),
        Map.of(),
        null,
        null,
        null,
        null,
        null,
        outputs,
        timeout,
        null);
  }

  private static Outcome await(Execution e, Duration within) throws Exception {
    return e.outcome().get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  private List<Path> jobDirs() {
    if (!Files.isDirectory(jobs())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(jobs())) {
      return s.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether {@code ps} still lists the process (the test's machine is the remote host). */
  private static boolean psLists(long pid) {
    try {
      Process p = new ProcessBuilder("ps", "-o", "pid=", "-p", Long.toString(pid)).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return !out.isEmpty();
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException("cannot run ps: " + e.getMessage(), e);
    }
  }

  @Test
  void largeOutputsStreamAndStageBackWhole() throws Exception {
    ResourceExecutor ex = executor(2, server.knownHosts());
    BlobStore blobs = BlobStores.fileSystem(tmp.resolve("blobs"));
    int mib100 = 100 << 20;
    RecordingAttempt a = new RecordingAttempt("c/big", null, tmp, blobs);
    Outcome o =
        await(
            ex.start(
                script(
                    "head -c "
                        + mib100
                        + " /dev/urandom > big.bin && sha256sum big.bin | cut -c1-64 >&2"
                        + " && head -c "
                        + mib100
                        + " /dev/zero | tr '\\0' x | fold -w 256",
                    null,
                    List.of(new WorkSpec.Transfer(new BlobKey("out/big"), "big.bin"))),
                a),
            Duration.ofSeconds(120));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(a.chars()).isEqualTo(mib100 + 64);
    String remoteSum = a.lines().get(a.lines().size() - 1).substring("err: ".length());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long size = 0;
    try (InputStream in = blobs.get(new BlobKey("out/big")).orElseThrow()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; size += n) {
        sha.update(buf, 0, n);
      }
    }
    assertThat(size).isEqualTo(mib100);
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(remoteSum);
    // Removed after the outcome: the attempt's result does not wait for the clean-up.
    Await.until("the working directory removed", PROMPT, () -> jobDirs().isEmpty());
  }

  @Test
  void timeoutKillsTheRemoteProcessGroupAsPsShows() throws Exception {
    ResourceExecutor ex = executor(2, server.knownHosts());
    RecordingAttempt a = new RecordingAttempt("c/slow", null, tmp, BlobStores.inMemory());
    Path pidFile = tmp.resolve("sleeper.pid");
    Execution e =
        ex.start(
            script("sleep 300 & echo $! > " + pidFile + "; wait", Duration.ofMillis(800), null), a);
    Await.until(
        "the sleeper started",
        PROMPT,
        () -> Files.exists(pidFile) && pidFile.toFile().length() > 0);
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(psLists(pid)).isTrue();

    Outcome o = await(e, PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TIMED_OUT);
    assertThat(o.message()).contains("timed out after 800ms").contains("127.0.0.1");
    Await.until("ps no longer lists the sleeper", PROMPT, () -> !psLists(pid));
    Await.until("the working directory removed", PROMPT, () -> jobDirs().isEmpty());
  }

  @Test
  void aDroppedConnectionFailsTheAttemptAndTheNextOneReconnects() throws Exception {
    ResourceExecutor ex = executor(2, server.knownHosts());
    RecordingAttempt a = new RecordingAttempt("c/dropped", null, tmp, BlobStores.inMemory());
    Execution e = ex.start(script("echo started; sleep 30; echo finished", null, null), a);
    Await.until("the script started", PROMPT, () -> a.lines().contains("out: started"));

    server.dropConnections();
    Outcome o = await(e, PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message()).contains("lost the connection to 127.0.0.1").contains("retryable");
    assertThat(a.lines()).doesNotContain("out: finished");
    Await.until(
        "the abandoned working directory removed after reconnecting",
        PROMPT,
        () -> jobDirs().isEmpty());

    RecordingAttempt next = new RecordingAttempt("c/next", null, tmp, BlobStores.inMemory());
    Outcome ok = await(ex.start(script("echo again", null, null), next), PROMPT);
    assertThat(ok.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(next.lines()).containsExactly("out: again");
  }

  @Test
  void manyJobsShareOneConnectionPerHost() throws Exception {
    server.dropConnections();
    Await.until("no sessions left", PROMPT, () -> server.sessions() == 0);
    ResourceExecutor ex = executor(4, server.knownHosts());
    List<Execution> runs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      runs.add(
          ex.start(
              script("echo job " + i + "; exit " + (i % 3 == 0 ? 2 : 0), null, null),
              new RecordingAttempt("c/" + i, null, tmp, BlobStores.inMemory())));
    }
    for (int i = 0; i < 12; i++) {
      Outcome o = await(runs.get(i), PROMPT);
      assertThat(o.exitCode()).as(o.message()).isEqualTo(i % 3 == 0 ? 2 : 0);
      assertThat(o.kind()).isEqualTo(i % 3 == 0 ? Outcome.Kind.FAILED : Outcome.Kind.SUCCEEDED);
    }
    assertThat(server.sessions()).isEqualTo(1);
    assertThat(ex.capacity()).isEqualTo(4);
  }

  @Test
  void aChangedHostKeyIsRefusedNamingTheHostAndTheFingerprint() throws Exception {
    Path wrong = tmp.resolve("known_hosts_wrong");
    Files.writeString(wrong, server.knownHostsLine(SshTestServer.ecKey().getPublic()) + "\n");
    ResourceExecutor ex = executor(1, wrong);
    Path marker = tmp.resolve("ran");
    Outcome o =
        await(
            ex.start(
                script("touch " + marker, null, null),
                new RecordingAttempt("c/mitm", null, tmp, BlobStores.inMemory())),
            PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message())
        .contains("host key of 127.0.0.1:" + server.port() + " changed")
        .contains(KeyUtils.getFingerPrint(server.hostKey()));
    assertThat(marker).doesNotExist();
  }

  @Test
  void anUnknownHostKeyIsRefusedNamingTheHostAndTheFingerprint() throws Exception {
    Path other = tmp.resolve("known_hosts_other");
    Files.writeString(
        other, "[127.0.0.1]:1 " + server.knownHostsLine(server.hostKey()).split(" ", 2)[1] + "\n");
    ResourceExecutor ex = executor(1, other);
    Outcome o =
        await(
            ex.start(
                script("true", null, null),
                new RecordingAttempt("c/unknown", null, tmp, BlobStores.inMemory())),
            PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message())
        .contains("127.0.0.1:" + server.port())
        .contains("is not in known-hosts file")
        .contains(KeyUtils.getFingerPrint(server.hostKey()));
  }

  @Test
  void theBuilderSaysWhatIsMissing() {
    assertThatThrownBy(() -> SshExecutor.builder().key(server.keyFile()).build())
        .hasMessageContaining("at least one host");
    assertThatThrownBy(
            () -> SshExecutor.builder().host(server.address()).key(server.keyFile()).build())
        .hasMessageContaining("known-hosts file is not set");
    assertThatThrownBy(() -> SshExecutor.builder().host("no-user-here"))
        .hasMessageContaining("user@host");
    assertThat(SshHost.parse("alice@node1")).isEqualTo(new SshHost("alice", "node1", 22));
    assertThat(SshHost.parse("bob@[::1]:2222").label()).isEqualTo("[::1]:2222");
  }
}
