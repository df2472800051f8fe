package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.collection.FetchAllResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * End-to-end throughput of {@code fetchAll} over trivial resources (the function returns a small
 * map), durable in SQLite on the default home layout. Each run uses a fresh home; prints every run
 * and the median.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.FetchAllThroughput
 * [resources=500000] [threads=2] [runs=5]}
 */
public final class FetchAllThroughput {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<String> idents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      idents.add("item-" + i);
    }
    Floor floor = Floor.measure();
    System.out.println(floor);
    double[] rates = new double[runs];
    // One unmeasured run first: JIT compilation and SQLite's native library load are not what
    // this measures.
    for (int run = -1; run < runs; run++) {
      Path home = Files.createTempDirectory("cairn-bench-fetchall");
      try (Cairn cairn = Cairn.open(home)) {
        cairn.collection("trivial", (ident, a, ctx) -> Map.of("id", ident, "ok", true));
        FetchAllResult r = cairn.fetchAll("trivial", idents, Map.of(), threads);
        if (r.computed() != n) {
          throw new IllegalStateException("computed " + r.computed() + " of " + n);
        }
        System.out.printf(
            "%s: %,d resources in %.2f s = %,.0f resources/s%n",
            run < 0 ? "warm-up" : "run " + (run + 1),
            n,
            r.elapsed().toNanos() / 1e9,
            r.perSecond());
        if (run >= 0) {
          rates[run] = r.perSecond();
        }
      } finally {
        Bench.deleteTree(home);
      }
    }
    Arrays.sort(rates);
    System.out.printf(
        "fetchAll %,d trivial resources, %d threads: median %,.0f resources/s (min %,.0f, max"
            + " %,.0f)%n",
        n, threads, Bench.median(rates), rates[0], rates[runs - 1]);
    System.out.printf(
        "= %.1f µs per resource, %.2fx a raw batched row (%,.0f rows/s in this run)%n",
        1e6 / Bench.median(rates),
        (1e6 / Bench.median(rates)) / floor.batchRowMicros(),
        floor.batchRowsPerSecond);
  }
}
