package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.testkit.Await;
import io.cairn.testkit.SlurmCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SlurmWorkers} on a real single-node Slurm: one array, every element the same command. */
class SlurmWorkersTest {
  @TempDir Path tmp;

  @Test
  void oneArrayRunsTheCommandOncePerElementInTheWorkDir() throws Exception {
    SlurmCluster.ensureRunning();
    Path work = Files.createDirectories(tmp.resolve("work"));
    SlurmWorkers.Submitted s =
        SlurmWorkers.builder()
            .command(
                List.of(
                    "/bin/sh",
                    "-c",
                    "echo \"it's $SLURM_ARRAY_TASK_ID\" > \"$0\".$SLURM_ARRAY_TASK_ID",
                    "ran"))
            .count(3)
            .cpus(1)
            .memoryMb(64)
            .timeLimit(Duration.ofSeconds(61))
            .jobName("cairn-test-workers")
            .logDir(tmp.resolve("logs"))
            .workDir(work)
            .submit();
    assertThat(s.jobId()).matches("[0-9]+");
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.output()).isEqualTo(tmp.resolve("logs/cairn-test-workers-%A_%a.out").toString());

    Await.until(
        "the three elements to end",
        Duration.ofSeconds(60),
        () -> {
          List<SlurmWorkers.Element> e = states(s.jobId());
          return e.size() == 3 && e.stream().allMatch(x -> x.state().equals("COMPLETED"));
        });
    assertThat(SlurmWorkers.states(s.jobId()))
        .extracting(SlurmWorkers.Element::jobId)
        .containsExactlyInAnyOrder(s.jobId() + "_0", s.jobId() + "_1", s.jobId() + "_2");
    for (int i = 0; i < 3; i++) {
      // Quoting survives the script: the apostrophe arrives, and the working dir is the one given.
      assertThat(Files.readString(work.resolve("ran." + i))).isEqualTo("it's " + i + "\n");
    }
  }

  private static List<SlurmWorkers.Element> states(String jobId) {
    try {
      return SlurmWorkers.states(jobId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void badSettingsAreRefusedWithWhatWasWrong() {
    assertThatThrownBy(() -> SlurmWorkers.builder().count(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slurm worker count must be 1 to 1000 (one array), got 0");
    assertThatThrownBy(() -> SlurmWorkers.builder().partition("a b"))
        .hasMessageContaining("slurm partition must be a name");
    assertThatThrownBy(() -> SlurmWorkers.builder().command(List.of()))
        .hasMessageContaining("slurm workers need a command line");
    assertThatThrownBy(() -> SlurmWorkers.states("12;rm"))
        .hasMessageContaining("slurm array job id must be a number");
    assertThatThrownBy(() -> SlurmWorkers.builder().command(List.of("true")).logDir(tmp).submit())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("slurm workers need a count: call count(n)");
    assertThatThrownBy(() -> SlurmWorkers.builder().command(List.of("true")).count(1).submit())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call logDir(dir)");
  }
}
