package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.durable.ProgressTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress trackers on a SQLite home: add N keys, then {@code tryKeys} + {@code markDone} over all
 * of them in one thread, and in two processes sharing the home; and how long {@code tryKeys()}
 * takes to find that a finished tracker has nothing to do. Prints each run and medians.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.TrackerThroughput
 * [keys=100000] [runs=5]}
 */
public final class TrackerThroughput {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]));
      return;
    }
    System.out.println(Floor.measure()); // the floor this run is judged against
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("task-" + i);
    }
    double[] add = new double[runs];
    double[] single = new double[runs];
    double[] twoProcs = new double[runs];
    double[] nothing = new double[runs];
    for (int run = -1; run < runs; run++) {
      Path home = Files.createTempDirectory("cairn-bench-tracker");
      try {
        double addRate;
        double pairs;
        double decideMs;
        try (Cairn cairn = Cairn.open(home)) {
          ProgressTracker t = cairn.tracker("t");
          long t0 = System.nanoTime();
          t.addAll(keys);
          addRate = n / ((System.nanoTime() - t0) / 1e9);
          t0 = System.nanoTime();
          long done = 0;
          for (String k : t.tryKeys()) {
            t.markDone(k);
            done++;
          }
          pairs = done / ((System.nanoTime() - t0) / 1e9);
          if (t.numDone() != n) {
            throw new IllegalStateException("done " + t.numDone() + " of " + n);
          }
          double[] samples = new double[21];
          for (int i = 0; i < samples.length; i++) {
            t0 = System.nanoTime();
            if (t.tryKeys().iterator().hasNext()) {
              throw new IllegalStateException("a finished tracker handed out a key");
            }
            samples[i] = (System.nanoTime() - t0) / 1e6;
          }
          decideMs = Bench.median(samples);
        }
        Bench.deleteTree(home);
        Files.createDirectories(home);
        try (Cairn cairn = Cairn.open(home)) {
          cairn.tracker("t").addAll(keys);
        }
        long t0 = System.nanoTime();
        Process a = startChild(home);
        Process b = startChild(home);
        long done = readCount(a) + readCount(b);
        double procRate = done / ((System.nanoTime() - t0) / 1e9);
        if (done != n) {
          throw new IllegalStateException("two processes did " + done + " of " + n);
        }
        System.out.printf(
            "%s: addAll %,.0f keys/s; tryKeys+markDone 1 thread %,.0f pairs/s, 2 processes %,.0f"
                + " pairs/s (JVM start-up included); nothing-to-do decision %.3f ms%n",
            run < 0 ? "warm-up" : "run " + (run + 1), addRate, pairs, procRate, decideMs);
        if (run >= 0) {
          add[run] = addRate;
          single[run] = pairs;
          twoProcs[run] = procRate;
          nothing[run] = decideMs;
        }
      } finally {
        Bench.deleteTree(home);
      }
    }
    System.out.printf(
        "%,d keys: median addAll %,.0f keys/s; tryKeys+markDone %,.0f pairs/s (1 thread), %,.0f"
            + " pairs/s (2 processes); nothing to do decided in %.3f ms%n",
        n, Bench.median(add), Bench.median(single), Bench.median(twoProcs), Bench.median(nothing));
  }

  private static Process startChild(Path home) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrackerThroughput.class.getName());
    cmd.add("child");
    cmd.add(home.toString());
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static long readCount(Process p) throws Exception {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      if (p.waitFor() != 0 || line == null) {
        throw new IllegalStateException("child failed");
      }
      return Long.parseLong(line.trim());
    }
  }

  private static void child(Path home) {
    long done = 0;
    try (Cairn cairn = Cairn.open(home)) {
      ProgressTracker t = cairn.tracker("t");
      for (String k : t.tryKeys()) {
        t.markDone(k);
        done++;
      }
    }
    System.out.println(done);
  }
}
