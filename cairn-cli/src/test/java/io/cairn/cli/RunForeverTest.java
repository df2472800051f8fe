package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.pipeline.TaskProgress;
import io.cairn.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --forever picks up new input until stopped; stopping (as Ctrl-C does) is clean. */
class RunForeverTest {
  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void aForeverRunTakesNewInputAndStopsCleanlyWhenItsThreadIsInterrupted() throws Exception {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    chain.fix();
    AtomicReference<CliRun> result = new AtomicReference<>();
    Thread runner =
        new Thread(() -> result.set(cairn(home, "run", "-f", chain.file.toString(), "--forever")));
    runner.start();
    try {
      Await.until(
          "a through the chain", Duration.ofSeconds(60), () -> Files.exists(chain.output(5, "a")));
      Files.writeString(dir.resolve("in/b.txt"), "data of b\n");
      Await.until(
          "b through the chain", Duration.ofSeconds(60), () -> Files.exists(chain.output(5, "b")));
    } finally {
      runner.interrupt(); // what the shutdown hook does on Ctrl-C
      runner.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(runner.isAlive()).isFalse();
    CliRun r = result.get();
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.errLines()).last().isEqualTo("cairn: interrupted; run again to resume");
    assertThat(r.out()).startsWith("chain: ").contains(" of 10 launched");

    // Stopped at any point, the next run finishes what was left (at most the last job).
    assertThat(cairn(home, "run", "-f", chain.file.toString()).code()).isZero();
    CliRun status = cairn(home, "status", "-f", chain.file.toString(), "--json");
    status.json().get("tasks").forEach(t -> assertThat(t.get("completed").asLong()).isEqualTo(2));
  }

  @Test
  void thePlainProgressLineNamesEveryTaskWithDoneOfTotalRateAndEta() {
    String line =
        RunProgress.plainLine(
            List.of(
                new TaskProgress("split", 36, 35, 1, 0, 0, 0, 36, 36),
                new TaskProgress("count", 115, 110, 3, 1, 1, 0, 150, 170),
                new TaskProgress("top", 0, 0, 0, 0, 0, 0, 0, 0)),
            5.2,
            t -> 10.0);
    assertThat(line)
        .isEqualTo(
            "run 5 s: split 36/36 (1 failed), count 150/170 (1 running, 3 failed, 1 aborted)"
                + " 10.0/s ETA 2.0 s, top 0/0");
  }
}
