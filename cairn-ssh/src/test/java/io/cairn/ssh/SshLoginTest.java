package io.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.ssh.internal.SshExecutorProvider;
import io.cairn.testkit.Await;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SshTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login by ssh-agent and by passphrase-protected key files, against the real OpenSSH {@code
 * ssh-agent} (started here, keys made by {@code ssh-keygen} and loaded by {@code ssh-add}) and the
 * real SSH server of the test kit.
 */
class SshLoginTest {
  private static final Duration PROMPT = Duration.ofSeconds(15);
  private static Path dir;
  private static SshTestServer server;
  private static Process agent;
  private static Path agentSocket;
  private static PublicKey ed25519;
  private static PublicKey rsa;
  private static Process strangerAgent;
  private static Path strangerSocket;

  @TempDir Path tmp;
  private final List<ResourceExecutor> made = new ArrayList<>();

  @BeforeAll
  static void startServerAndAgents() throws Exception {
    dir = Files.createTempDirectory("cairn-ssh-login");
    server = SshTestServer.start(dir.resolve("client"));
    ed25519 = keygen(dir.resolve("id_ed25519"), "ed25519", "");
    rsa = keygen(dir.resolve("id_rsa"), "rsa", "");
    PublicKey stranger = keygen(dir.resolve("id_stranger"), "ed25519", "");
    agentSocket = dir.resolve("agent.sock");
    agent = startAgent(agentSocket);
    run(Map.of("SSH_AUTH_SOCK", agentSocket.toString()), "ssh-add", "-q", dir + "/id_ed25519");
    run(Map.of("SSH_AUTH_SOCK", agentSocket.toString()), "ssh-add", "-q", dir + "/id_rsa");
    strangerSocket = dir.resolve("stranger.sock");
    strangerAgent = startAgent(strangerSocket);
    run(Map.of("SSH_AUTH_SOCK", strangerSocket.toString()), "ssh-add", "-q", dir + "/id_stranger");
    assertThat(stranger).isNotNull();
  }

  @AfterAll
  static void stopAll() {
    if (agent != null) {
      agent.destroy();
    }
    if (strangerAgent != null) {
      strangerAgent.destroy();
    }
    server.close();
  }

  @AfterEach
  void closeExecutors() {
    made.forEach(ResourceExecutor::close);
    server.revoke(ed25519);
    server.revoke(rsa);
  }

  /** Makes a key pair with ssh-keygen and returns its public key. */
  private static PublicKey keygen(Path file, String type, String passphrase) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type));
    if (type.equals("rsa")) {
      cmd.addAll(List.of("-b", "2048"));
    }
    cmd.addAll(List.of("-N", passphrase, "-C", "cairn-test-" + type, "-f", file.toString()));
    run(Map.of(), cmd.toArray(String[]::new));
    String line = Files.readString(file.resolveSibling(file.getFileName() + ".pub")).strip();
    return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, Map.of(), null);
  }

  private static Process startAgent(Path socket) throws Exception {
    Process p =
        new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Await.until("ssh-agent listens on " + socket, PROMPT, () -> Files.exists(socket));
    return p;
  }

  private static void run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private SshExecutor.Builder builder(Function<String, String> env) {
    return SshExecutor.builder()
        .host(server.address())
        .knownHosts(server.knownHosts())
        .remoteDir(tmp.resolve("jobs").toString())
        .reconnects(0)
        .environment(env);
  }

  private Outcome runEcho(SshExecutor.Builder b, String word) throws Exception {
    ResourceExecutor ex = b.build();
    made.add(ex);
    RecordingAttempt a = new RecordingAttempt("c/" + word, null, tmp, BlobStores.inMemory());
    WorkSpec.Script script =
        WorkSpec.Script.of(List.of("/bin/sh", "-c", "echo " + word), Map.of(), null);
    Outcome o = ex.start(script, a).outcome().get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
    if (o.kind() == Outcome.Kind.SUCCEEDED) {
      assertThat(a.lines()).containsExactly("out: " + word);
    }
    return o;
  }

  private static Function<String, String> env(Map<String, String> vars) {
    return vars::get;
  }

  @Test
  void withNoKeyFileTheAgentOfSshAuthSockLogsInWithItsEd25519Key() throws Exception {
    server.authorize(ed25519);

    Outcome o = runEcho(builder(env(Map.of("SSH_AUTH_SOCK", agentSocket.toString()))), "ed");

    assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
  }

  @Test
  void anRsaKeyInTheAgentSignsWithSha2() throws Exception {
    // Only the RSA key is accepted: the ed25519 one is offered first and refused. MINA's client
    // asks for rsa-sha2-512, which ssh-agent makes only when the request carries the SHA-2 flag
    // (without it the signature would be SHA-1 ssh-rsa, and the server's check would fail).
    server.authorize(rsa);

    Outcome o = runEcho(builder(env(Map.of())).agentSocket(agentSocket), "rsa");

    assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
  }

  @Test
  void anAgentWithNoAcceptedIdentityIsRefusedNamingWhatWasOffered() throws Exception {
    server.authorize(ed25519);

    Outcome o = runEcho(builder(env(Map.of())).agentSocket(strangerSocket), "no");

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message())
        .contains("cannot log in to " + server.address())
        .contains(
            "refused every key offered (1 identity of the ssh agent at " + strangerSocket + ")");
  }

  @Test
  void aKeyFileIsPreferredToTheAmbientAgentUnlessTheAgentIsAskedFor() throws Exception {
    // SSH_AUTH_SOCK names a dead socket: asking that agent would fail the login.
    Path dead = tmp.resolve("ambient.sock");
    Files.createFile(dead);
    Outcome o =
        runEcho(
            builder(env(Map.of("SSH_AUTH_SOCK", dead.toString()))).key(server.keyFile()), "file");
    assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);

    // Asked for, the agent is offered beside the key file: an agent the host refuses falls
    // through to the file, and a file the host refuses does not keep the agent's key out.
    Outcome fileAfterAgent =
        runEcho(
            builder(env(Map.of("SSH_AUTH_SOCK", strangerSocket.toString())))
                .key(server.keyFile())
                .agent(true),
            "fallthrough");
    assertThat(fileAfterAgent.kind())
        .as(fileAfterAgent.message())
        .isEqualTo(Outcome.Kind.SUCCEEDED);
    server.authorize(ed25519);
    Outcome agentDespiteFile =
        runEcho(
            builder(env(Map.of())).key(dir.resolve("id_stranger")).agentSocket(agentSocket),
            "agent");
    assertThat(agentDespiteFile.kind())
        .as(agentDespiteFile.message())
        .isEqualTo(Outcome.Kind.SUCCEEDED);
  }

  @Test
  void aDeadAgentSocketIsOneClearLine() throws Exception {
    Path dead = tmp.resolve("dead.sock");
    Files.createFile(dead);

    Outcome o = runEcho(builder(env(Map.of())).agentSocket(dead), "dead");

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message()).contains("cannot reach the ssh agent at " + dead).doesNotContain("\n");
    assertThatThrownBy(() -> builder(env(Map.of())).agent(true).build())
        .hasMessageContaining("SSH_AUTH_SOCK is not set");
    assertThatThrownBy(() -> builder(env(Map.of())).build())
        .hasMessageContaining("needs a way to log in");
    Path gone = tmp.resolve("gone.sock");
    assertThatThrownBy(() -> builder(env(Map.of("SSH_AUTH_SOCK", gone.toString()))).build())
        .hasMessage(
            "SSH_AUTH_SOCK names "
                + gone
                + ", which does not exist: start ssh-agent again, or give key(path)");
  }

  @Test
  void aPassphraseKeyWorksWithItsEnvironmentVariableAndFailsClearlyWithoutIt() throws Exception {
    Path key = tmp.resolve("id_locked");
    PublicKey locked = keygen(key, "ed25519", "s3cret-phrase");
    server.authorize(locked);
    try {
      Outcome o =
          runEcho(
              builder(env(Map.of("CAIRN_SSH_PASSPHRASE", "s3cret-phrase")))
                  .key(key)
                  .keyPassphraseEnv("CAIRN_SSH_PASSPHRASE"),
              "unlocked");
      assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);

      assertThatThrownBy(
              () ->
                  builder(env(Map.of())).key(key).keyPassphraseEnv("CAIRN_SSH_PASSPHRASE").build())
          .hasMessage(
              "ssh key file "
                  + key
                  + " is protected by a passphrase, but environment variable"
                  + " CAIRN_SSH_PASSPHRASE is not set: export it");
      assertThatThrownBy(() -> builder(env(Map.of())).key(key).build())
          .hasMessageContaining("ssh key file " + key + " is protected by a passphrase")
          .hasMessageContaining("key_passphrase_env");
      assertThatThrownBy(
              () ->
                  builder(env(Map.of("CAIRN_SSH_PASSPHRASE", "not-the-phrase")))
                      .key(key)
                      .keyPassphraseEnv("CAIRN_SSH_PASSPHRASE")
                      .build())
          .hasMessageContaining("cannot decrypt ssh key file " + key)
          .hasMessageContaining("CAIRN_SSH_PASSPHRASE")
          .hasMessageNotContaining("not-the-phrase")
          .hasMessageNotContaining("\n");
      assertThatThrownBy(() -> SshExecutor.builder().keyPassphraseEnv("my passphrase"))
          .hasMessageContaining("must name an environment variable");
    } finally {
      server.revoke(locked);
    }
  }

  @Test
  void yamlSettingsNameTheAgentSocketAndThePassphraseVariable() throws Exception {
    server.authorize(ed25519);
    Map<String, Object> settings =
        Map.of(
            "hosts", List.of(server.address()),
            "known_hosts", server.knownHosts().toString(),
            "agent", agentSocket.getFileName().toString(), // relative: to the file's directory
            "remote_dir", tmp.resolve("jobs").toString(),
            "reconnects", 0);
    ResourceExecutor ex = new SshExecutorProvider().open(settings, dir);
    made.add(ex);
    RecordingAttempt a = new RecordingAttempt("c/yaml", null, tmp, BlobStores.inMemory());
    Outcome o =
        ex.start(WorkSpec.Script.of(List.of("/bin/sh", "-c", "echo yaml"), Map.of(), null), a)
            .outcome()
            .get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(a.lines()).containsExactly("out: yaml");

    Path key = tmp.resolve("id_yaml");
    keygen(key, "ed25519", "another-phrase");
    assertThatThrownBy(
            () ->
                new SshExecutorProvider()
                    .open(
                        Map.of(
                            "hosts", server.address(),
                            "known_hosts", server.knownHosts().toString(),
                            "key", key.toString(),
                            "key_passphrase_env", "CAIRN_TEST_NEVER_SET_PASSPHRASE"),
                        dir))
        .hasMessageContaining("ssh key file " + key + " is protected by a passphrase")
        .hasMessageContaining("CAIRN_TEST_NEVER_SET_PASSPHRASE is not set");
    assertThatThrownBy(
            () ->
                new SshExecutorProvider()
                    .open(Map.of("hosts", server.address(), "passphrase", "x"), dir))
        .hasMessageContaining("unknown ssh executor setting 'passphrase'")
        .hasMessageContaining("key_passphrase_env");
  }
}
