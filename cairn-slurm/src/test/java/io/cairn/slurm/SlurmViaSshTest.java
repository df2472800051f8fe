package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.pipeline.PipelineYaml;
import io.cairn.slurm.internal.SlurmPool;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.ssh.SshHost;
import io.cairn.testkit.Await;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SlurmCluster;
import io.cairn.testkit.SshTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm executor through a login node: a real SSH server of this machine (MINA SSHD running
 * real {@code /bin/sh}) in front of the real single-node Slurm, so every sbatch, squeue and scancel
 * goes over SSH and every job file over SFTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmViaSshTest {
  private static Path home;
  private static SshTestServer server;
  // Slurm's shortest time limit is a minute, checked about every 30 s: that job is started first
  // and runs beside the other tests, and the last test waits for its end.
  private static ResourceExecutor limited;
  private static Execution overLimit;
  private static Path overLimitSignals;

  @TempDir Path tmp;
  private final BlobStore blobs = BlobStores.inMemory();
  private final List<ResourceExecutor> made = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    SlurmCluster.ensureRunning();
    home = Files.createTempDirectory("cairn-slurm-ssh");
    server = SshTestServer.start(home.resolve("client"));
    limited =
        login(SlurmExecutor.builder().timeLimit(Duration.ofMinutes(1)))
            .remoteDir(home.resolve("remote-limited").toString())
            .pollInterval(Duration.ofMillis(200))
            .build();
    overLimitSignals = Files.createDirectories(home.resolve("limited"));
    overLimit =
        limited.start(
            script(
                "echo ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} > \"$SIGNALS/id\"; echo started;"
                    + " sleep 150",
                overLimitSignals,
                Duration.ofMinutes(5),
                null,
                null),
            new RecordingAttempt("limited", null, overLimitSignals, BlobStores.inMemory()));
  }

  @AfterAll
  static void stop() {
    if (limited != null) {
      limited.close();
    }
    server.close();
  }

  @AfterEach
  void closeExecutors() {
    made.forEach(ResourceExecutor::close);
  }

  private static SlurmExecutor.Builder login(SlurmExecutor.Builder b) {
    return b.login(SshHost.parse(server.address()), server.keyFile(), server.knownHosts());
  }

  private ResourceExecutor executor(int capacity) {
    ResourceExecutor e =
        login(SlurmExecutor.builder())
            .capacity(capacity)
            .remoteDir(remote().toString())
            .batchWindow(Duration.ofMillis(300))
            .pollInterval(Duration.ofMillis(100))
            .build();
    made.add(e);
    return e;
  }

  private Path remote() {
    return tmp.resolve("remote");
  }

  private static WorkSpec.Script script(
      String text,
      Path signals,
      Duration timeout,
      List<WorkSpec.Transfer> inputs,
      List<WorkSpec.Transfer> outputs) {
    return new WorkSpec.Script(
        List.of("/bin/sh", "-c", text),
        Map.of("SIGNALS", signals.toString()),
        null,
        null,
        null,
        null,
        inputs,
        outputs,
        timeout,
        null);
  }

  private RecordingAttempt attempt(String name) throws IOException {
    return new RecordingAttempt(name, null, Files.createDirectories(tmp.resolve(name)), blobs);
  }

  @Test
  @Order(1)
  void fiftyJobsGoThroughArraysOverTheLoginNodeAndLeaveNothingThere() throws Exception {
    // Declared in a pipeline file: a slurm executor naming an ssh executor as its login node.
    Path file = tmp.resolve("cairn.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "pipeline: p",
            "executors:",
            "  head:",
            "    type: ssh",
            "    hosts: " + server.address(),
            "    key: " + server.keyFile(),
            "    known_hosts: " + server.knownHosts(),
            "  hpc:",
            "    type: slurm",
            "    login: head",
            "    remote_dir: " + remote(),
            "    batch_window_ms: 300",
            ""));
    Map<String, ResourceExecutor> declared = PipelineYaml.executors(file);
    made.addAll(declared.values());
    ResourceExecutor e = declared.get("hpc");
    assertThat(e.name()).isEqualTo("slurm@127.0.0.1:" + server.port());
    List<Execution> runs = new ArrayList<>();
    List<RecordingAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      blobs.putBytes(BlobKey.of("in", "n" + i), ("input " + i + "\n").getBytes());
      RecordingAttempt a = attempt("c" + i);
      attempts.add(a);
      runs.add(
          e.start(
              script(
                  "echo job " + i + " in $(pwd); tr a-z A-Z < data/in.txt > out.txt",
                  tmp,
                  null,
                  List.of(new WorkSpec.Transfer(BlobKey.of("in", "n" + i), "data/in.txt")),
                  List.of(new WorkSpec.Transfer(BlobKey.of("out", "n" + i), "out.txt"))),
              a));
    }
    for (int i = 0; i < 50; i++) {
      Outcome o = runs.get(i).outcome().get(60, TimeUnit.SECONDS);
      assertThat(o.kind()).as("job %d: %s", i, o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
      assertThat(attempts.get(i).lines()).hasSize(1);
      // The script ran in a working directory under the remote dir, not the attempt's local one.
      assertThat(attempts.get(i).lines().get(0))
          .startsWith("out: job " + i + " in " + remote().toRealPath() + "/c" + i + "-");
      assertThat(text(BlobKey.of("out", "n" + i))).isEqualTo("INPUT " + i + "\n");
    }
    assertThat(((SlurmPool) e).sbatchCalls()).isBetween(1, 5);
    // Every job's directory and every array's files go once their jobs have ended.
    Await.until(
        "remote dir emptied",
        Duration.ofSeconds(10),
        () -> list(remote()).equals(List.of("spool")) && list(remote().resolve("spool")).isEmpty());
  }

  @Test
  @Order(2)
  void aFailedJobFailsWithItsStderrAndTheNextAttemptSucceeds() throws Exception {
    ResourceExecutor e = executor(4);
    String flaky =
        "if [ -f \"$SIGNALS/tried\" ]; then echo second; else touch \"$SIGNALS/tried\";"
            + " echo flaky node >&2; exit 7; fi";
    Outcome o1 =
        e.start(script(flaky, tmp, null, null, null), attempt("retry-1"))
            .outcome()
            .get(30, TimeUnit.SECONDS);
    assertThat(o1.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o1.exitCode()).isEqualTo(7);
    assertThat(o1.message()).contains("code 7").contains("flaky node");

    RecordingAttempt second = attempt("retry-2");
    Outcome o2 =
        e.start(script(flaky, tmp, null, null, null), second).outcome().get(30, TimeUnit.SECONDS);
    assertThat(o2.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(second.lines()).containsExactly("out: second");
  }

  @Test
  @Order(3)
  void aLostLeaseOrAStopScancelsTheJobOverTheLoginNode() throws Exception {
    ResourceExecutor e = executor(4);
    Path signals = Files.createDirectories(tmp.resolve("lease"));
    Execution run = e.start(sleeper(signals), attempt("leased"));
    String id = runningId(signals);

    run.cancel(); // what the engine does when the lease is lost

    assertThat(run.outcome().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    Await.until("job gone from squeue", Duration.ofSeconds(10), () -> !queued(id));
    assertThat(squeueState(id)).isIn("", "CANCELLED");

    // A stopped run closes the executor: what it still runs is scancelled too.
    ResourceExecutor other = executor(4);
    Path signals2 = Files.createDirectories(tmp.resolve("stop"));
    Execution run2 = other.start(sleeper(signals2), attempt("stopped"));
    String id2 = runningId(signals2);
    other.close();
    assertThat(run2.outcome().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    Await.until("job gone from squeue", Duration.ofSeconds(10), () -> !queued(id2));
    Await.until(
        "job dirs removed", Duration.ofSeconds(5), () -> list(remote()).equals(List.of("spool")));
  }

  @Test
  @Order(4)
  void aDroppedConnectionMidRunIsRecoveredAndNothingSucceedsWithoutItsOutput() throws Exception {
    ResourceExecutor e = executor(8);
    Path signals = Files.createDirectories(tmp.resolve("drop"));
    List<Execution> runs = new ArrayList<>();
    List<RecordingAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      RecordingAttempt a = attempt("d" + i);
      attempts.add(a);
      runs.add(
          e.start(
              script(
                  "touch \"$SIGNALS/" + i + "\"; sleep 3; echo done " + i + " > out.txt; echo ok",
                  signals,
                  null,
                  null,
                  List.of(new WorkSpec.Transfer(BlobKey.of("drop", "n" + i), "out.txt"))),
              a));
    }
    Await.until("all six running", Duration.ofSeconds(20), () -> list(signals).size() == 6);
    server.dropConnections();
    for (int i = 0; i < 6; i++) {
      Outcome o = runs.get(i).outcome().get(30, TimeUnit.SECONDS);
      // The jobs ran on in Slurm; the executor reconnected and read their exit codes and outputs.
      assertThat(o.kind()).as("job %d: %s", i, o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
      assertThat(text(BlobKey.of("drop", "n" + i))).isEqualTo("done " + i + "\n");
      assertThat(attempts.get(i).lines()).containsExactly("out: ok");
    }
  }

  @Test
  @Order(5)
  void slurmsOwnTimeLimitEndsAJobAsTimedOut() throws Exception {
    Outcome o = overLimit.outcome().get(150, TimeUnit.SECONDS);
    assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.TIMED_OUT);
    assertThat(o.message()).contains("went over its time limit");
    String id = Files.readString(overLimitSignals.resolve("id")).strip();
    assertThat(squeueState(id)).isEqualTo("TIMEOUT");
  }

  private static WorkSpec.Script sleeper(Path signals) {
    return script(
        "echo ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} > \"$SIGNALS/id\"; sleep 100",
        signals,
        null,
        null,
        null);
  }

  private static String runningId(Path signals) throws Exception {
    Path idFile = signals.resolve("id");
    Await.until("job running", Duration.ofSeconds(20), () -> Files.exists(idFile));
    Await.until("job id written", Duration.ofSeconds(5), () -> read(idFile).strip().contains("_"));
    String id = read(idFile).strip();
    Await.until("job listed by squeue", Duration.ofSeconds(10), () -> queued(id));
    return id;
  }

  private String text(BlobKey key) throws IOException {
    try (InputStream in = blobs.get(key).orElseThrow()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether squeue (pending and running jobs only) still lists the job. */
  private static boolean queued(String jobId) {
    return !squeue("-h", "-j", jobId, "-o", "%i").isEmpty();
  }

  /** The job's state while the controller keeps it, finished ones included; "" once purged. */
  private static String squeueState(String jobId) {
    return squeue("-h", "-r", "-t", "all", "-j", jobId, "-o", "%T");
  }

  private static String squeue(String... args) {
    List<String> cmd = new ArrayList<>(List.of("squeue"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return p.exitValue() == 0 ? out : "";
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
