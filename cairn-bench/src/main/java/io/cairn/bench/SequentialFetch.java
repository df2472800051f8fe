package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The path a hadrosaur user writes: {@code fetch} in a loop, one caller thread, fresh trivial
 * resources (a claim and an outcome, each durable), then the same idents again (cached). Judged
 * against two raw single-row SQLite transactions and a raw point read measured in the same run.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.SequentialFetch
 * [fetches=5000] [runs=5]}
 */
public final class SequentialFetch {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Floor floor = Floor.measure();
    System.out.println(floor);
    double[] fresh = new double[runs];
    double[] cached = new double[runs];
    double[] freshCpu = new double[runs];
    // Process CPU beside wall time: on a loaded machine a thread that never blocks gets only its
    // share of the cores, while one that hands off and sleeps is favoured on each wake-up, so the
    // two figures tell scheduling apart from work.
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int run = -1; run < runs; run++) {
      Path home = Files.createTempDirectory("cairn-bench-seqfetch");
      try (Cairn cairn = Cairn.open(home)) {
        cairn.collection("trivial", (ident, a, ctx) -> Map.of("id", ident));
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          Resource r = cairn.fetch("trivial", "item-" + i);
          if (r.status() != Status.COMPLETED) {
            throw new IllegalStateException(r.toString());
          }
        }
        double f = (System.nanoTime() - t0) / 1e3 / n;
        double fc = (os.getProcessCpuTime() - cpu0) / 1e3 / n;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          cairn.fetch("trivial", "item-" + i);
        }
        double c = (System.nanoTime() - t0) / 1e3 / n;
        if (run >= 0) {
          fresh[run] = f;
          freshCpu[run] = fc;
          cached[run] = c;
        }
      } finally {
        Bench.deleteTree(home);
      }
    }
    double f = Bench.median(fresh);
    double c = Bench.median(cached);
    System.out.printf(
        "sequential fetch, one thread, %,d fresh trivial resources: median %.1f µs/fetch"
            + " (%,.0f/s) = %.2fx two raw single-row transactions%n",
        n, f, 1e6 / f, f / floor.twoTransactionsMicros);
    System.out.printf(
        "  process CPU per fresh fetch: median %.1f µs (all threads)%n", Bench.median(freshCpu));
    System.out.printf(
        "the same idents again (cached): median %.1f µs/fetch (%,.0f/s) = %.2fx a raw point"
            + " read + JSON parse (%.2fx the bare read)%n",
        c, 1e6 / c, c / floor.pointReadParseMicros, c / floor.pointReadMicros);
    System.out.printf(
        "spreads: fresh %.1f–%.1f µs, cached %.1f–%.1f µs over %d runs%n",
        min(fresh), max(fresh), min(cached), max(cached), runs);
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(0);
  }
}
