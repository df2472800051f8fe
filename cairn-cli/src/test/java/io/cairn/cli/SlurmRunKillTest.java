package io.cairn.cli;

import io.cairn.testkit.SlurmCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real {@code cairn run} whose tasks run on a real single-node Slurm, then a
 * second run: it finishes every job and resubmits none that had completed.
 */
class SlurmRunKillTest {
  @TempDir Path dir;

  @Test
  void aRerunAfterKillNineFinishesWithoutResubmittingCompletedJobs() throws Exception {
    SlurmCluster.ensureRunning();
    RunKillTest.killThenRerun(
        dir,
        "executors:\n  hpc: {type: slurm, batch_window_ms: 200, capacity: 8}\n",
        "hpc",
        Duration.ofSeconds(60));
  }
}
