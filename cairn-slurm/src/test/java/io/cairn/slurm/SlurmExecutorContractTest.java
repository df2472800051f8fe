package io.cairn.slurm;

import io.cairn.spi.ResourceExecutor;
import io.cairn.testkit.ResourceExecutorContract;
import io.cairn.testkit.SlurmCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/** The executor contract, run on a real single-node Slurm of this machine. */
class SlurmExecutorContractTest extends ResourceExecutorContract {
  @BeforeAll
  static void cluster() {
    SlurmCluster.ensureRunning();
  }

  @Override
  protected ResourceExecutor newExecutor(int capacity) {
    return SlurmExecutor.builder()
        .capacity(capacity)
        .batchWindow(Duration.ofMillis(50))
        .pollInterval(Duration.ofMillis(100))
        .spool(tmp.resolve("spool"))
        .build();
  }

  @Override
  protected boolean runsScripts() {
    return true;
  }
}
