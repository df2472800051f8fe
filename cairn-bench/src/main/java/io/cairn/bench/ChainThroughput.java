package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.JobContext;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A luigi-style chain of parameterized jobs (job n depends on job n - 1) on a SQLite home: the cost
 * per link of a fresh chain, then the nothing-to-do decision of the finished chain asked again,
 * each run beside the floor measured just before it (interleaved), so every figure has its own
 * run's ratio.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.ChainThroughput
 * [links=1000] [runs=3] [workers=2]}
 */
public final class ChainThroughput {
  public static void main(String[] args) throws Exception {
    int links = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    RunOptions options = RunOptions.defaults().withWorkers(workers);
    chain(200, options); // warm-up (JIT, SQLite), not reported
    double[] perLink = new double[runs];
    double[] ratio = new double[runs];
    double[] nothing = new double[runs];
    double[] verify = new double[runs];
    for (int r = 0; r < runs; r++) {
      Floor floor = Floor.measure();
      System.out.println(floor);
      double[] m = chain(links, options);
      perLink[r] = m[0];
      ratio[r] = m[0] / floor.twoTransactionsMicros;
      nothing[r] = m[1];
      verify[r] = m[2];
      System.out.printf(
          "run %d: %,d links %.1f µs/link = %,.0f links/s = %.2fx two raw transactions;"
              + " nothing-to-do %.1f ms; with verify %.1f ms%n",
          r + 1, links, m[0], 1e6 / m[0], ratio[r], m[1], m[2]);
    }
    System.out.printf(
        "chain of %,d: median %.1f µs/link (%,.0f links/s), median ratio %.2fx two raw"
            + " transactions (target <= 10x); nothing-to-do median %.1f ms (target <= 50 ms);"
            + " verify median %.1f ms%n",
        links,
        Bench.median(perLink),
        1e6 / Bench.median(perLink),
        Bench.median(ratio),
        Bench.median(nothing),
        Bench.median(verify));
  }

  static Pipeline pipeline() {
    return Pipeline.builder("chain")
        .task(
            PipelineTask.java("link", (Job job, JobContext ctx) -> job.params().get("n"))
                .param("n", ParamType.INT)
                .dependsOn(
                    "link",
                    job -> {
                      int k = (Integer) job.params().get("n");
                      return k == 0 ? null : Map.of("n", k - 1);
                    }))
        .build();
  }

  /** Returns {µs per link, ms to decide nothing to do, ms to verify the finished chain}. */
  private static double[] chain(int n, RunOptions options) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-chain");
    try (Cairn cairn = Cairn.open(home)) {
      Pipeline p = pipeline();
      RunOptions o =
          options.withTargets(List.of(new RunOptions.Target("link", Map.of("n", n - 1))));
      long t0 = System.nanoTime();
      RunSummary r = cairn.pipeline(p).run(o);
      double us = (System.nanoTime() - t0) / 1e3 / n;
      if (r.completed() != n) {
        throw new IllegalStateException("completed " + r.completed() + " of " + n);
      }
      t0 = System.nanoTime();
      RunSummary again = cairn.pipeline(p).run(o);
      double nothingMs = (System.nanoTime() - t0) / 1e6;
      if (again.launched() != 0) {
        throw new IllegalStateException("a finished chain launched " + again.launched());
      }
      t0 = System.nanoTime();
      RunSummary verified = cairn.pipeline(p).run(o.withVerify(true));
      double verifyMs = (System.nanoTime() - t0) / 1e6;
      if (verified.launched() != 0) {
        throw new IllegalStateException(
            "verifying a finished chain launched " + verified.launched());
      }
      return new double[] {us, nothingMs, verifyMs};
    } finally {
      Bench.deleteTree(home);
    }
  }
}
