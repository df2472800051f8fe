package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cairn log and cairn show read logs from the blob store, where attempts publish them. */
class LogLocationsCliTest {
  @TempDir Path home;
  @TempDir Path data;

  @BeforeEach
  void compute() throws Exception {
    Files.writeString(data.resolve("a.txt"), "alpha");
    Files.writeString(data.resolve("b.txt"), "beta");
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection(
          "greet",
          (ident, args, ctx) -> {
            ctx.log().info("hello {}", ident);
            if (ident.equals("boom")) {
              throw new IllegalStateException("no greeting for boom");
            }
            return ident;
          });
      cairn.fetch("greet", "alice");
      cairn.fetch("greet", "boom");
      cairn
          .pipeline(
              Pipeline.builder("p")
                  .task(
                      PipelineTask.java(
                              "t",
                              (job, ctx) -> {
                                ctx.log().info("job {}", job.key());
                                if (job.key().equals("b")) {
                                  throw new IllegalStateException("job b broke");
                                }
                                return null;
                              })
                          .input("in", Repositories.files(data, ".txt"))
                          .maxTries(1))
                  .build())
          .run(RunOptions.defaults().withWorkers(1).withPoll(Duration.ofMillis(20)));
    }
  }

  @Test
  void logPrintsPublishedLogsOfCompletedAndFailedResourcesAndJobs() throws Exception {
    assertThat(cairn(home, "log", "greet", "alice").out()).contains("INFO  hello alice");
    assertThat(cairn(home, "log", "greet", "boom").out())
        .contains("hello boom", "ERROR failed", "no greeting for boom");
    assertThat(cairn(home, "log", "p.t", "a").out()).contains("INFO  job a");
    assertThat(cairn(home, "log", "p.t", "b").out()).contains("job b", "job b broke");
    try (Stream<Path> files = Files.walk(home.resolve("resources"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(home.resolve("blobs/resources/greet/alice/log")).isRegularFile();
    assertThat(home.resolve("blobs/p/t/b/log")).isRegularFile();
  }

  @Test
  void showNamesTheSharedLogAndTheLocalInProgressFile() {
    CliRun r = cairn(home, "show", "p.t", "b");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("  log       p/t/b/log  (blob store; cairn --home")
        .contains("  local log " + home.resolve("resources/p.t/b/log"));
    assertThat(cairn(home, "show", "greet", "alice", "--json").json().get("logBlob").asText())
        .isEqualTo("resources/greet/alice/log");
  }
}
