package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a short script sees: the first {@code n} cached fetches of a fresh JVM (class loading and
 * JIT included), each of a COMPLETED resource, against the same number of raw point reads plus JSON
 * parses in a fresh JVM of their own, and against the warm floor of this run. The two kinds of
 * child alternate, so a busy machine weighs on both alike.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.FirstFetches
 * [fetches=5000] [runs=5]}. Set {@code CAIRN_BENCH_JFR_DIR} to record the Cairn children with JFR.
 */
public final class FirstFetches {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Floor floor = Floor.measure();
    System.out.println(floor);
    Path dir = Files.createTempDirectory("cairn-bench-first");
    try {
      Path home = dir.resolve("home");
      try (Cairn cairn = Cairn.open(home)) {
        cairn.collection("trivial", (ident, a, ctx) -> Map.of("id", ident));
        for (int i = 0; i < n; i++) {
          cairn.fetch("trivial", "item-" + i);
        }
      }
      Path raw = dir.resolve("raw.db");
      Floor.batchInto(raw, n);
      double[] fetch = new double[runs];
      double[] open = new double[runs];
      double[] rawCold = new double[runs];
      for (int run = 0; run < runs; run++) {
        double[] c = spawn("cairn", home, n, run);
        open[run] = c[0];
        fetch[run] = c[1];
        rawCold[run] = spawn("raw", raw, n, run)[1];
      }
      double f = Bench.median(fetch);
      double r = Bench.median(rawCold);
      System.out.printf(
          "first %,d cached fetches of a fresh JVM: median %.1f µs/fetch (spread %.1f–%.1f)"
              + " = %.2fx a warm raw point read + JSON parse, %.2fx the same %,d raw reads + parses"
              + " in a fresh JVM (%.1f µs each); Cairn.open + register median %.0f ms%n",
          n,
          f,
          min(fetch),
          max(fetch),
          f / floor.pointReadParseMicros,
          f / r,
          n,
          r,
          Bench.median(open) / 1e3);
    } finally {
      Bench.deleteTree(dir);
    }
  }

  /** Runs one child JVM; returns {open µs, µs per fetch or read}. */
  private static double[] spawn(String kind, Path target, int n, int run) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String jfr = System.getenv("CAIRN_BENCH_JFR_DIR");
    if (jfr != null && kind.equals("cairn")) {
      cmd.add(
          "-XX:StartFlightRecording=filename=" + jfr + "/first-" + run + ".jfr,settings=profile");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(FirstFetches.class.getName(), "child", kind, target.toString(), "" + n));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        last = line;
      }
    }
    if (p.waitFor() != 0 || last == null || !last.startsWith("result ")) {
      throw new IllegalStateException(kind + " child failed: " + last);
    }
    String[] parts = last.split(" ");
    return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
  }

  private static void child(String kind, Path target, int n) throws Exception {
    if (kind.equals("raw")) {
      double us = Floor.pointReadsOf(target, n, n, true);
      System.out.println("result 0 " + us);
      return;
    }
    long t0 = System.nanoTime();
    try (Cairn cairn = Cairn.open(target)) {
      cairn.collection("trivial", (ident, a, ctx) -> Map.of("id", ident));
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Resource r = cairn.fetch("trivial", "item-" + i);
        if (r.status() != Status.COMPLETED || r.result() == null) {
          throw new IllegalStateException("not cached: " + r);
        }
      }
      long t2 = System.nanoTime();
      System.out.println("result " + (t1 - t0) / 1e3 + " " + (t2 - t1) / 1e3 / n);
    }
  }

  private static double min(double[] v) {
    double m = Double.MAX_VALUE;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = -Double.MAX_VALUE;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
