package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.Cairn;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.cli.example.SquaresDefinitions;
import io.cairn.postgres.PostgresStore;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.Postgres;
import io.cairn.testkit.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn worker --json} stopped by SIGTERM in the middle of a run, as a real child JVM: it
 * drains and prints one JSON document on stdout whose counts are what the store holds afterwards.
 */
class WorkerStopReportTest {
  private static final String COLLECTION = "cubes";
  private static final int ITEMS = 3_000;

  @TempDir Path dir;

  @Test
  void aSigtermedWorkerPrintsItsStopReportOnASqliteHome() throws Exception {
    Path home = dir.resolve("home");
    stopMidRunAndCheckTheReport(home, null);
  }

  @Test
  void aSigtermedWorkerPrintsItsStopReportOnPostgres() throws Exception {
    Path home = dir.resolve("home");
    stopMidRunAndCheckTheReport(home, Postgres.freshDatabase().url());
  }

  private void stopMidRunAndCheckTheReport(Path home, String url) throws Exception {
    Files.createDirectories(home);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      keys.add(String.format("k%05d", i));
    }
    try (Cairn cairn = open(home, url)) {
      assertThat(cairn.submit(COLLECTION, keys, Map.of())).isEqualTo(ITEMS);
    }
    Path inv = home.resolve("invocations.txt");
    JsonNode report;
    try (ChildJvm worker = ChildJvm.start(Main.class, workerArgs(home, url))) {
      Await.until(
          "the worker to be under way",
          Duration.ofSeconds(120),
          () -> Files.exists(inv) && TextFiles.lines(inv).size() >= 200);
      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
      String out = String.join("\n", worker.lines());
      assertThat(out).as("the worker's stdout").isNotBlank();
      report = new ObjectMapper().readTree(out); // the whole of stdout is one document
    }
    assertThat(report.get("stopped").asText()).isEqualTo("signal");
    assertThat(report.get("elapsedMillis").asLong()).isPositive();
    JsonNode task = null;
    for (JsonNode t : report.get("tasks")) {
      if (t.get("task").asText().equals(COLLECTION)) {
        task = t;
      } else {
        assertThat(t.get("launched").asLong()).as(t.get("task").asText()).isZero();
      }
    }
    assertThat(task).as("the collection's counts in " + report).isNotNull();
    try (Cairn look = open(home, url)) {
      Stats s = look.stats(COLLECTION);
      long completed = s.count(Status.COMPLETED);
      assertThat(completed).as("stopped mid-run").isBetween(1L, ITEMS - 1L);
      // One worker did all the work: its counts are the store's.
      assertThat(task.get("completed").asLong()).isEqualTo(completed);
      assertThat(report.get("completed").asLong()).isEqualTo(completed);
      assertThat(task.get("failed").asLong()).isZero();
      assertThat(task.get("running").asLong()).isZero();
      assertThat(task.get("launched").asLong()).isGreaterThanOrEqualTo(completed);
      // Drained: nothing left RUNNING; what it held and had not finished is queued again.
      assertThat(s.count(Status.RUNNING)).isZero();
      assertThat(s.count(Status.QUEUED)).isEqualTo(ITEMS - completed);
      assertThat(TextFiles.lines(inv)).hasSize((int) completed);
    }
  }

  static Cairn open(Path home, String url) {
    Cairn cairn =
        url == null
            ? Cairn.open(home)
            : Cairn.builder().home(home).stateStore(PostgresStore.open(url)).open();
    new SquaresDefinitions().define(cairn);
    return cairn;
  }

  private String[] workerArgs(Path home, String url) throws Exception {
    Path jar = dir.resolve("example.jar");
    if (!Files.exists(jar)) {
      WorkerProcessTest.exampleJar(jar);
    }
    List<String> args = new ArrayList<>(List.of("--home", home.toString()));
    if (url != null) {
      args.addAll(List.of("--store", url));
    }
    args.addAll(
        List.of(
            "worker",
            "--classpath",
            jar.toString(),
            "--collections",
            COLLECTION,
            "--threads",
            "2",
            "--drain",
            "5",
            "--json"));
    return args.toArray(String[]::new);
  }
}
