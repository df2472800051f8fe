package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.engine.LogLocations;
import io.cairn.internal.engine.LogReader;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.ScriptSpec;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs are written locally while an attempt runs and kept once, in the blob store, after it. */
class LogsThroughBlobsTest {
  @TempDir Path home;
  @TempDir Path data;
  Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  List<String> blobs(String prefix) {
    return cairn.blobs().listAll(prefix).map(BlobInfo::key).map(BlobKey::value).toList();
  }

  /** Files named like a log (or its chunks) anywhere under the home's local resource dirs. */
  List<Path> localLogs() throws Exception {
    Path resources = home.resolve("resources");
    if (!Files.exists(resources)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(resources)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aCollectionLogIsPublishedOnceWhenTheAttemptEndsAfterSuccessOrFailure() throws Exception {
    cairn.collection(
        "greet",
        (ident, args, ctx) -> {
          ctx.log().info("hello {}", ident);
          if (ident.equals("boom")) {
            throw new IllegalStateException("no greeting for boom");
          }
          return ident;
        });
    assertThat(cairn.fetch("greet", "alice/../x").status()).isEqualTo(Status.COMPLETED);
    assertThat(cairn.fetch("greet", "boom").status()).isEqualTo(Status.ERROR);

    assertThat(cairn.log("greet", "alice/../x")).contains("INFO  hello alice/../x");
    assertThat(cairn.log("greet", "boom"))
        .contains("INFO  hello boom", "ERROR failed", "no greeting for boom");
    assertThat(blobs("resources/greet/"))
        .containsExactlyInAnyOrder(
            LogLocations.ofResource("greet", "alice/../x").value(),
            LogLocations.ofResource("greet", "boom").value());
    assertThat(localLogs()).isEmpty();
    assertThat(cairn.resource("greet", "boom").paths().log()).doesNotExist();
  }

  @Test
  void aRecomputeAppendsItsAttemptAfterAHeaderAndAResourceThatLogsNothingCostsNoFile()
      throws Exception {
    cairn.collection(
        "c",
        (ident, args, ctx) -> {
          if (!ident.equals("quiet")) {
            ctx.log().info("run {}", ctx.attempt());
          }
          return null;
        });
    cairn.fetch("c", "k");
    cairn.fetch("c", "k", Map.of(), true);
    cairn.fetch("c", "quiet");
    String log = cairn.log("c", "k");
    assertThat(
            log.lines()
                .filter(l -> !l.startsWith("---"))
                .map(l -> l.replaceAll(".* INFO  (run \\d).*", "$1")))
        .containsExactly("run 1", "run 2");
    assertThat(log.indexOf("--- attempt 1 by ")).isZero();
    assertThat(log.indexOf("--- attempt 2 by ")).isGreaterThan(log.indexOf("run 1"));
    assertThat(cairn.log("c", "quiet")).isEmpty();
    assertThat(blobs("resources/c/")).containsExactly("resources/c/k/log");
    assertThat(localLogs()).isEmpty();
    assertThat(home.resolve("resources/c/k")).doesNotExist();
    assertThat(home.resolve("resources/c/quiet")).doesNotExist();
  }

  @Test
  void pipelineJobLogsOfJavaAndScriptTasksSitOnceBesideTheirOutputs() throws Exception {
    Files.createDirectories(data.resolve("in"));
    Files.writeString(data.resolve("in/a.txt"), "alpha");
    Files.writeString(data.resolve("in/b.txt"), "beta");
    var in = Repositories.files(data.resolve("in"), ".txt");
    Pipeline p =
        Pipeline.builder("logs")
            .task(
                PipelineTask.java(
                        "java",
                        (job, ctx) -> {
                          ctx.log().info("java job {}", job.key());
                          if (job.key().equals("b")) {
                            throw new IllegalStateException("java job b broke");
                          }
                          return null;
                        })
                    .input("in", in)
                    .maxTries(1))
            .task(
                PipelineTask.script(
                        "script",
                        new ScriptSpec(
                            "echo script says {{job}}; test {{job}} = a",
                            null,
                            null,
                            null,
                            Map.of(),
                            null))
                    .input("in", in)
                    .maxTries(1))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    RunSummary s = runner.run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));
    assertThat(s.completed()).isEqualTo(2);

    assertThat(cairn.log("logs.java", "a")).contains("INFO  java job a");
    assertThat(cairn.log("logs.java", "b"))
        .contains("java job b", "ERROR failed", "java job b broke");
    assertThat(cairn.log("logs.script", "a")).contains("[stdout] script says a");
    assertThat(cairn.log("logs.script", "b")).contains("[stdout] script says b", "exit");
    for (String task : List.of("java", "script")) {
      for (String key : List.of("a", "b")) {
        List<String> logs =
            blobs(runner.jobDirectory(task, key).value() + "/").stream()
                .filter(k -> k.contains("/log"))
                .toList();
        assertThat(logs).as(task + "/" + key).containsExactly("logs/" + task + "/" + key + "/log");
      }
    }
    assertThat(blobs("resources/")).isEmpty();
    assertThat(localLogs()).isEmpty();
  }

  @Test
  void aLongAttemptsChunksAreReadableElsewhereWhileItRunsAndReplacedWhenItEnds() throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String line = "x".repeat(1000);
    cairn.collection(
        "long",
        (ident, args, ctx) -> {
          for (int i = 0; i < 1100; i++) { // past the 1 MiB chunk size
            ctx.log().info("line {} {}", i, line);
          }
          logged.countDown();
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
          ctx.log().info("the end");
          return null;
        });
    CompletableFuture<Resource> run = CompletableFuture.supplyAsync(() -> cairn.fetch("long", "k"));
    assertThat(logged.await(60, TimeUnit.SECONDS)).isTrue();
    BlobKey key = LogLocations.ofResource("long", "k");
    assertThat(blobs(key.value())).isNotEmpty().allMatch(k -> k.startsWith(key.value() + "+"));
    // Another machine has no local file: it reads the chunks.
    String elsewhere = LogReader.read(cairn.blobs(), key, null);
    assertThat(elsewhere)
        .startsWith("--- attempt 1 by ")
        .contains("line 0 ")
        .hasSizeGreaterThan(1 << 20);
    String here = cairn.log("long", "k");
    assertThat(here).startsWith(elsewhere).contains("line 1099 ").doesNotContain("the end");

    release.countDown();
    assertThat(run.get(60, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPLETED);
    assertThat(blobs(key.value())).containsExactly(key.value());
    String done = cairn.log("long", "k");
    assertThat(done).startsWith(here).contains("the end");
    assertThat(done.split("--- attempt ", -1)).hasSize(2);
    assertThat(LogReader.read(cairn.blobs(), key, null)).isEqualTo(done);
    assertThat(localLogs()).isEmpty();
  }
}
