package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.StreamRepository;
import io.cairn.pipeline.ValueRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipeline scheduler's cost per job, on a SQLite home: N independent trivial in-process jobs
 * (one task over an in-memory repository of N keys) at several sizes, the time to decide that a
 * finished pipeline has nothing to do, and a chain of parameterized jobs each depending on the
 * previous one.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.PipelineThroughput
 * [sizes=1000,100000,1000000] [chain=10000] [workers=2]}
 */
public final class PipelineThroughput {
  public static void main(String[] args) throws Exception {
    String sizes = args.length > 0 ? args[0] : "1000,100000,1000000";
    int chain = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    RunOptions options = RunOptions.defaults().withWorkers(workers).withPoll(Duration.ofMillis(10));
    Floor floor = Floor.measure();
    System.out.println(floor);
    independent(100_000, options, false); // warm-up (JIT, SQLite), not reported
    for (String s : sizes.split(",")) {
      int n = Integer.parseInt(s.trim());
      int repeats = n <= 10_000 ? 5 : n <= 100_000 ? 3 : 1;
      double[] perJob = new double[repeats];
      double[] nothing = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        double[] m = independent(n, options, false);
        perJob[r] = m[0];
        nothing[r] = m[1];
      }
      double us = Bench.median(perJob);
      System.out.printf(
          "independent %,d jobs: median of %d runs %.1f µs/job = %,.0f jobs/s; nothing-to-do"
              + " decision %.3f s%n",
          n, repeats, us, 1e6 / us, Bench.median(nothing));
      System.out.printf("  = %.2fx a raw batched row%n", us / floor.batchRowMicros());
    }
    double[] files = new double[3];
    for (int r = 0; r < files.length; r++) {
      files[r] = fileOutputs(10_000, options);
    }
    double fus = Bench.median(files);
    System.out.printf(
        "10,000 jobs each writing one small file output: median of 3 runs %.1f µs/job = %,.0f"
            + " jobs/s = %.2fx an atomic file write%n",
        fus, 1e6 / fus, fus / floor.atomicWriteMicros);
    double cus = chain(chain, options);
    System.out.printf(
        "  chain = %.1fx two raw single-row transactions, %.1fx (two transactions + an atomic"
            + " file write)%n",
        cus / floor.twoTransactionsMicros,
        cus / (floor.twoTransactionsMicros + floor.atomicWriteMicros));
  }

  /** Runs n independent jobs; returns {µs per job, seconds to find nothing to do}. */
  private static double[] independent(int n, RunOptions options, boolean print) throws Exception {
    return independent(n, options, print, Cairn::open);
  }

  /**
   * Runs n independent jobs on the home {@code open} makes of a temp dir (another state store:
   * {@link PostgresPipelineThroughput}); returns {µs per job, seconds to find nothing to do}.
   */
  static double[] independent(
      int n, RunOptions options, boolean print, java.util.function.Function<Path, Cairn> open)
      throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-pipeline");
    try (Cairn cairn = open.apply(home)) {
      ValueRepository in = Repositories.inMemory("in");
      List<String> keys = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        keys.add("job-" + i);
      }
      for (String k : keys) {
        in.put(k, 1);
      }
      Pipeline p =
          Pipeline.builder("bench")
              .task(PipelineTask.java("trivial", (job, ctx) -> Map.of("ok", true)).input("in", in))
              .build();
      long t0 = System.nanoTime();
      RunSummary r = cairn.pipeline(p).run(options);
      double s = (System.nanoTime() - t0) / 1e9;
      if (r.completed() != n) {
        throw new IllegalStateException("completed " + r.completed() + " of " + n);
      }
      t0 = System.nanoTime();
      RunSummary again = cairn.pipeline(p).run(options);
      double nothing = (System.nanoTime() - t0) / 1e9;
      if (again.launched() != 0) {
        throw new IllegalStateException("a finished pipeline launched " + again.launched());
      }
      if (print) {
        System.out.printf(
            "independent %,d jobs: %.2f s = %,.0f jobs/s (%.1f µs/job); nothing-to-do decision %.3f s%n",
            n, s, n / s, s * 1e6 / n, nothing);
      }
      return new double[] {s * 1e6 / n, nothing};
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** n jobs, each writing a small file to a file repository; returns µs per job. */
  static double fileOutputs(int n, RunOptions options) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-files");
    try (Cairn cairn = Cairn.open(home)) {
      ValueRepository in = Repositories.inMemory("in");
      for (int i = 0; i < n; i++) {
        in.put("job-" + i, 1);
      }
      StreamRepository out = Repositories.files(home.resolve("out"), ".txt");
      Pipeline p =
          Pipeline.builder("files")
              .task(
                  PipelineTask.java(
                          "write",
                          (job, ctx) -> {
                            ctx.link("out", StreamRepository.class)
                                .write(job.key(), job.key().getBytes(StandardCharsets.UTF_8));
                            return 1;
                          })
                      .input("in", in)
                      .output("out", out))
              .build();
      long t0 = System.nanoTime();
      RunSummary r = cairn.pipeline(p).run(options);
      double s = (System.nanoTime() - t0) / 1e9;
      if (r.completed() != n || !out.contains("job-" + (n - 1))) {
        throw new IllegalStateException("completed " + r.completed() + " of " + n);
      }
      return s * 1e6 / n;
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** Returns µs per job. */
  private static double chain(int n, RunOptions options) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-chain");
    try (Cairn cairn = Cairn.open(home)) {
      Pipeline p =
          Pipeline.builder("chain")
              .task(
                  PipelineTask.java(
                          "link",
                          (Job job, io.cairn.pipeline.JobContext ctx) -> job.params().get("n"))
                      .param("n", ParamType.INT)
                      .dependsOn(
                          "link",
                          job -> {
                            int k = (Integer) job.params().get("n");
                            return k == 0 ? null : Map.of("n", k - 1);
                          }))
              .build();
      long t0 = System.nanoTime();
      RunSummary r =
          cairn
              .pipeline(p)
              .run(options.withTargets(List.of(new RunOptions.Target("link", Map.of("n", n - 1)))));
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "chain of %,d parameterized jobs (each needs the previous): %.2f s = %,.0f jobs/s (%.1f µs/job), completed %,d%n",
          n, s, n / s, s * 1e6 / n, r.completed());
      return s * 1e6 / n;
    } finally {
      Bench.deleteTree(home);
    }
  }
}
