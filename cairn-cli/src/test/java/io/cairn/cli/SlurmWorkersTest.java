package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.Cairn;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.HomeInvariants;
import io.cairn.testkit.SlurmCluster;
import io.cairn.testkit.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn slurm workers} on a real single-node Slurm: Java jobs that {@code cairn run
 * --workers 0} queued in a SQLite home (this machine's disk is the "shared" file system) run
 * exactly once on two workers submitted as one job array, which end on their own once idle.
 */
class SlurmWorkersTest {
  private static final int KEYS = 150; // two tasks: 300 jobs
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void javaJobsRunOnceOnTwoArrayWorkersThatEndWhenIdle() throws Exception {
    SlurmCluster.ensureRunning();
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("in"));
    for (int i = 0; i < KEYS; i++) {
      Files.writeString(home.resolve("in/" + key(i) + ".txt"), i + "\n");
    }
    Path jar = WorkerProcessTest.exampleJar(dir.resolve("example.jar"));
    String jobId;
    try (ChildJvm scheduler =
        ChildJvm.start(
            Main.class,
            "--home",
            home.toString(),
            "run",
            "--classpath",
            jar.toString(),
            "--workers",
            "0")) {
      try (Cairn look = Cairn.open(home)) {
        Await.until(
            "the scheduler to queue the first task's jobs",
            Duration.ofSeconds(60),
            () -> queued(look, "squares.square") == KEYS);
      }
      CliRun submitted =
          CliRun.cairn(
              home,
              "slurm",
              "workers",
              "--count",
              "2",
              "--classpath",
              jar.toString(),
              "--threads",
              "2",
              "--cpus",
              "1",
              "--memory-mb",
              "512",
              "--idle-exit",
              "4",
              "--json");
      assertThat(submitted.code()).as(submitted.err()).isZero();
      JsonNode doc = JSON.readTree(submitted.out());
      jobId = doc.get("job_id").asText();
      assertThat(jobId).matches("[0-9]+");
      assertThat(doc.get("count").asInt()).isEqualTo(2);
      assertThat(Files.readString(Path.of(doc.get("script").asText())))
          .contains("'worker'", "'--idle-exit' '4'", "'--threads' '2'", jar.toString());

      // The scheduler exits 0 once every job it queued is done, by the workers on Slurm.
      assertThat(scheduler.waitFor(Duration.ofSeconds(120))).isZero();
    }

    // Both elements end on their own (idle), with exit 0: squeue shows them COMPLETED.
    Await.until(
        "both workers to end after going idle",
        Duration.ofSeconds(60),
        () -> {
          List<String> states = states(home, jobId);
          return states.size() == 2 && states.stream().allMatch(s -> s.equals("COMPLETED"));
        });
    for (int i = 0; i < 2; i++) {
      String out = Files.readString(home.resolve("slurm/cairn-worker-" + jobId + "_" + i + ".out"));
      assertThat(out).contains("nothing to do for 4 s").contains("cairn worker stopped:");
    }

    try (Cairn cairn = Cairn.open(home)) {
      for (String task : List.of("square", "plus")) {
        Stats s = cairn.stats("squares." + task);
        assertThat(s.count(Status.COMPLETED)).as(task).isEqualTo(KEYS);
        assertThat(s.total()).as(task).isEqualTo(KEYS);
      }
    }
    for (int i = 0; i < KEYS; i++) {
      assertThat(Files.readString(home.resolve("out/" + key(i) + ".txt")).strip())
          .isEqualTo(Long.toString((long) i * i + 1));
    }
    Map<String, Integer> runs = new HashMap<>();
    for (String line : TextFiles.lines(home.resolve("invocations.txt"))) {
      String[] f = line.split(" ");
      runs.merge(f[0] + " " + f[1], 1, Integer::sum);
    }
    assertThat(runs).hasSize(2 * KEYS);
    assertThat(runs.values()).as("each job's function ran exactly once").containsOnly(1);
    HomeInvariants.assertHealthy(home);
  }

  @Test
  void badInputIsRefusedInOneLine() throws Exception {
    Path home = dir.resolve("home");
    Path jar = WorkerProcessTest.exampleJar(dir.resolve("example.jar"));

    CliRun noCode = CliRun.cairn(home, "slurm", "workers", "--count", "2");
    assertThat(noCode.code()).isEqualTo(2);
    assertThat(firstLine(noCode.err()))
        .isEqualTo(
            "cairn: cairn slurm workers needs the project's code: -f cairn.yaml (script tasks) or"
                + " --classpath app.jar (Java tasks, an io.cairn.CairnDefinitions provider)");

    CliRun zero =
        CliRun.cairn(home, "slurm", "workers", "--count", "0", "--classpath", jar.toString());
    assertThat(zero.code()).isEqualTo(2);
    assertThat(firstLine(zero.err()))
        .isEqualTo(
            "cairn: --count must be 1 to 1000 (one array): how many workers to submit, got 0");

    CliRun idleZero =
        CliRun.cairn(home, "worker", "--classpath", jar.toString(), "--idle-exit", "0");
    assertThat(idleZero.code()).isEqualTo(2);
    assertThat(firstLine(idleZero.err()))
        .isEqualTo("cairn: --idle-exit must be 1 to 31536000 seconds, got 0");

    CliRun secret =
        CliRun.cairn(
            home,
            "--store",
            "postgresql://cairn:hunter2@127.0.0.1:5432/cairn",
            "slurm",
            "workers",
            "--count",
            "1",
            "--classpath",
            jar.toString());
    assertThat(secret.code()).isEqualTo(2);
    assertThat(secret.err()).contains("--store has a password in it").doesNotContain("hunter2");
    assertThat(secret.err().lines().count()).isEqualTo(1);

    // No sbatch on PATH: a real process, so its PATH can lack Slurm.
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of("--home", home.toString(), "slurm", "workers", "--count", "2"));
    cmd.addAll(List.of("--classpath", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PATH", dir.resolve("no-slurm-here").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).isEmpty();
    assertThat(err.strip())
        .isEqualTo(
            "cairn: cannot submit the workers: sbatch is not on PATH: run this on a Slurm login"
                + " node, or add Slurm's bin directory to PATH");
  }

  /** The states of the array's elements, through {@code cairn slurm workers --status}. */
  private static List<String> states(Path home, String jobId) {
    CliRun r = CliRun.cairn(home, "slurm", "workers", "--status", jobId, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> states = new ArrayList<>();
    try {
      for (JsonNode w : JSON.readTree(r.out()).get("workers")) {
        assertThat(w.get("job_id").asText()).startsWith(jobId + "_");
        states.add(w.get("state").asText());
      }
    } catch (IOException e) {
      throw new AssertionError("--status --json printed no JSON: " + r.out(), e);
    }
    return states;
  }

  private static long queued(Cairn cairn, String collection) {
    try {
      return cairn.stats(collection).count(Status.QUEUED);
    } catch (UnknownCollectionException e) {
      return 0; // the scheduler has not registered it yet
    }
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static String key(int i) {
    return String.format("k%05d", i);
  }
}
