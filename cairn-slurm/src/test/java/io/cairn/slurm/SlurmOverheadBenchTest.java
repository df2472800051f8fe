package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.slurm.internal.SlurmPool;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SlurmCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-job overhead of the Slurm executor (job arrays on the real single-node Slurm) beside the
 * local-process executor on the same trivial scripts (docs/benchmarks.md). Off by default: {@code
 * -Dcairn.bench=true} runs it, {@code -Dcairn.bench.jobs=N} sets the count (default 1,000).
 */
class SlurmOverheadBenchTest {
  @TempDir Path tmp;

  @Test
  void trivialScriptsThroughArrays() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("cairn.bench"), "benchmark: -Dcairn.bench=true");
    int jobs = Integer.getInteger("cairn.bench.jobs", 1000);
    SlurmCluster.ensureRunning();
    ResourceExecutor slurm =
        SlurmExecutor.builder()
            .capacity(jobs)
            .batchWindow(Duration.ofMillis(200))
            .pollInterval(Duration.ofMillis(100))
            .spool(tmp.resolve("spool"))
            .build();
    ResourceExecutor local = new LocalProcessExecutor(4);
    try {
      run(local, 50, "warm-local");
      run(slurm, 50, "warm-slurm");
      int callsBefore = ((SlurmPool) slurm).sbatchCalls();
      double l = run(local, jobs, "local");
      double s = run(slurm, jobs, "slurm");
      int calls = ((SlurmPool) slurm).sbatchCalls() - callsBefore;
      System.out.printf(
          "BENCH %d trivial scripts started at once: local-process (4 at a time) %.2f ms/job,"
              + " slurm %.2f ms/job in %d sbatch calls%n",
          jobs, l, s, calls);
    } finally {
      slurm.close();
      local.close();
    }
  }

  /** Milliseconds per job, wall clock, from the first start to the last outcome. */
  private double run(ResourceExecutor ex, int jobs, String name) throws Exception {
    Path work = Files.createDirectories(tmp.resolve(name));
    WorkSpec.Script script = WorkSpec.Script.of(List.of("/bin/sh", "-c", "true"), Map.of(), null);
    long t0 = System.nanoTime();
    List<Execution> runs = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Path dir = Files.createDirectories(work.resolve("j" + i));
      runs.add(
          ex.start(script, new RecordingAttempt(name + "/" + i, null, dir, BlobStores.inMemory())));
    }
    for (Execution e : runs) {
      Outcome o = e.outcome().get(600, TimeUnit.SECONDS);
      assertThat(o.kind()).as(o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
    }
    return (System.nanoTime() - t0) / 1e6 / jobs;
  }
}
