package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.durable.DurableMap;
import io.cairn.durable.ProgressTracker;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every path of issue 9 against its floor, in one program: each round measures {@link Floor}, then
 * runs every path once (interleaved, so a busy spell hits all of them alike), and the end prints
 * per path the median ratio, its spread over the rounds and the verdict against the target.
 *
 * <pre>java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.EverydayPaths [rounds] [scale]
 * </pre>
 *
 * {@code scale} (default 1.0) multiplies the item counts, for a quick look (0.2) or a steadier one.
 */
public final class EverydayPaths {
  /** One path: how it is measured against which floor, and its target. */
  private record Path9(
      String name, String unit, ToDoubleFunction<Floor> floorOf, double target, boolean atMost) {}

  private static final Path9 FRESH =
      new Path9("fresh fetch, one thread", "µs", f -> f.twoTransactionsMicros, 3, true);
  private static final Path9 CACHED =
      new Path9("cached fetch", "µs", f -> f.pointReadParseMicros, 5, true);
  private static final Path9 ADD_ONE =
      new Path9("tracker addIfAbsent, one key at a time", "keys/s", f -> 1, 60_000, false);
  private static final Path9 ADD_ALL =
      new Path9("tracker addAll", "keys/s", f -> 1, 400_000, false);
  private static final Path9 LOOP =
      new Path9("tracker tryKeys + markDone", "µs", f -> 2 * f.batchRowMicros(), 1.5, true);
  private static final Path9 MAP_SET =
      new Path9("map set (+ close)", "µs", f -> f.batchRowMicros(), 2, true);
  private static final Path9 CHAIN =
      new Path9(
          "chain of parameterized jobs, per link", "µs", f -> f.twoTransactionsMicros, 10, true);
  private static final Path9 FINISHED =
      new Path9("finished 1,000-link chain, nothing to do", "ms", f -> 1, 50, true);
  private static final Path9 FILE_JOB =
      new Path9("job writing a small file", "µs", f -> f.atomicWriteMicros, 5, true);
  private static final List<Path9> PATHS =
      List.of(FRESH, CACHED, ADD_ONE, ADD_ALL, LOOP, MAP_SET, CHAIN, FINISHED, FILE_JOB);

  private EverydayPaths() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int fetches = (int) (3_000 * scale);
    int keys = (int) (100_000 * scale);
    int entries = (int) (100_000 * scale);
    int links = 1_000;
    int fileJobs = (int) (2_000 * scale);
    Map<Path9, double[]> value = new LinkedHashMap<>();
    Map<Path9, double[]> ratio = new LinkedHashMap<>();
    PATHS.forEach(
        p -> {
          value.put(p, new double[rounds]);
          ratio.put(p, new double[rounds]);
        });
    RunOptions two = RunOptions.defaults().withWorkers(2);
    for (int round = -1; round < rounds; round++) { // round -1 warms the JIT up, not counted
      Floor floor = Floor.measure();
      Map<Path9, Double> m = new LinkedHashMap<>();
      double[] fetch = fetches(fetches);
      m.put(FRESH, fetch[0]);
      m.put(CACHED, fetch[1]);
      double[] tracker = tracker(keys);
      m.put(ADD_ONE, tracker[0]);
      m.put(ADD_ALL, tracker[1]);
      m.put(LOOP, tracker[2]);
      m.put(MAP_SET, mapSet(entries));
      double[] chain = chain(links, two);
      m.put(CHAIN, chain[0]);
      m.put(FINISHED, chain[1]);
      m.put(FILE_JOB, PipelineThroughput.fileOutputs(fileJobs, two));
      if (round < 0) {
        continue;
      }
      System.out.println("round " + (round + 1) + ": " + floor);
      for (Map.Entry<Path9, Double> e : m.entrySet()) {
        Path9 p = e.getKey();
        double r = e.getValue() / p.floorOf().applyAsDouble(floor);
        value.get(p)[round] = e.getValue();
        ratio.get(p)[round] = r;
        System.out.printf(
            "  %-44s %,12.1f %-6s %s%n", p.name(), e.getValue(), p.unit(), ratioText(p, r));
      }
    }
    System.out.println();
    System.out.printf(
        "medians over %d rounds (ratio spread in brackets), scale %.2f:%n", rounds, scale);
    for (Path9 p : PATHS) {
      double r = Bench.median(ratio.get(p));
      double v = Bench.median(value.get(p));
      double judged = isRatio(p) ? r : v;
      boolean met = p.atMost() ? judged <= p.target() : judged >= p.target();
      System.out.printf(
          "  %-44s %,12.1f %-6s %s [%s]  target %s%s: %s%n",
          p.name(),
          v,
          p.unit(),
          ratioText(p, r),
          isRatio(p) ? spread(ratio.get(p), "%.2f") : spread(value.get(p), "%,.1f"),
          p.atMost() ? "<= " : ">= ",
          targetText(p),
          met ? "met" : "MISSED");
    }
  }

  private static boolean isRatio(Path9 p) {
    return !p.unit().equals("keys/s") && !p.unit().equals("ms");
  }

  private static String ratioText(Path9 p, double r) {
    return isRatio(p) ? String.format("= %.2fx floor", r) : "";
  }

  private static String targetText(Path9 p) {
    return isRatio(p)
        ? String.format("%.1fx", p.target())
        : String.format("%,.0f %s", p.target(), p.unit());
  }

  private static String spread(double[] v, String format) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (double x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return String.format(format + "–" + format, lo, hi);
  }

  /** {µs per fresh fetch, µs per cached fetch} of n trivial resources, one thread. */
  private static double[] fetches(int n) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-everyday");
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection("trivial", (ident, a, ctx) -> Map.of("id", ident));
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Resource r = cairn.fetch("trivial", "item-" + i);
        if (r.status() != Status.COMPLETED) {
          throw new IllegalStateException(r.toString());
        }
      }
      double fresh = (System.nanoTime() - t0) / 1e3 / n;
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        cairn.fetch("trivial", "item-" + i);
      }
      return new double[] {fresh, (System.nanoTime() - t0) / 1e3 / n};
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** {addIfAbsent keys/s, addAll keys/s, µs per tryKeys + markDone pair}. */
  private static double[] tracker(int n) throws Exception {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("https://example.org/page/" + i);
    }
    Path home = Files.createTempDirectory("cairn-bench-everyday");
    try (Cairn cairn = Cairn.open(home)) {
      ProgressTracker one = cairn.tracker("one");
      long t0 = System.nanoTime();
      for (String k : keys) {
        one.addIfAbsent(k);
      }
      double addOne = n / ((System.nanoTime() - t0) / 1e9);
      ProgressTracker t = cairn.tracker("all");
      t0 = System.nanoTime();
      t.addAll(keys);
      double addAll = n / ((System.nanoTime() - t0) / 1e9);
      t.sync();
      t0 = System.nanoTime();
      long done = 0;
      for (String k : t.tryKeys()) {
        t.markDone(k);
        done++;
      }
      double pair = (System.nanoTime() - t0) / 1e3 / done;
      if (t.numDone() != n) {
        throw new IllegalStateException("done " + t.numDone() + " of " + n);
      }
      return new double[] {addOne, addAll, pair};
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** µs per map entry set, including the close that makes them durable. */
  private static double mapSet(int n) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-everyday");
    try {
      long t0 = System.nanoTime();
      try (Cairn cairn = Cairn.open(home)) {
        DurableMap<Object> m = cairn.map("m");
        for (int i = 0; i < n; i++) {
          m.set("key-" + i, Map.of("i", i, "ok", true));
        }
      }
      return (System.nanoTime() - t0) / 1e3 / n;
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** {µs per link, ms for the finished chain's nothing-to-do decision}. */
  private static double[] chain(int n, RunOptions options) throws Exception {
    Path home = Files.createTempDirectory("cairn-bench-everyday");
    try (Cairn cairn = Cairn.open(home)) {
      RunOptions o =
          options.withTargets(List.of(new RunOptions.Target("link", Map.of("n", n - 1))));
      long t0 = System.nanoTime();
      RunSummary r = cairn.pipeline(ChainThroughput.pipeline()).run(o);
      double perLink = (System.nanoTime() - t0) / 1e3 / n;
      if (r.completed() != n) {
        throw new IllegalStateException("completed " + r.completed() + " of " + n);
      }
      t0 = System.nanoTime();
      RunSummary again = cairn.pipeline(ChainThroughput.pipeline()).run(o);
      double nothingMs = (System.nanoTime() - t0) / 1e6;
      if (again.launched() != 0) {
        throw new IllegalStateException("a finished chain launched " + again.launched());
      }
      return new double[] {perLink, nothingMs};
    } finally {
      Bench.deleteTree(home);
    }
  }
}
