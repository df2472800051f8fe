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
 * Progress trackers on a SQLite home: N {@code addIfAbsent} calls one key at a time (then the
 * {@code sync()} that makes them durable, timed apart), {@code addAll} of N keys (and its sync),
 * then {@code tryKeys} + {@code markDone} over all of them in one thread, and in two processes
 * sharing the home; and how long {@code tryKeys()} takes to find that a finished tracker has
 * nothing to do. Each run first measures the {@link Floor} (interleaved, so every ratio is to the
 * floor of its own run): adds are stated beside tastypy's 60,000 keys/s, the loop as a ratio to two
 * raw batched row writes per key. Prints each run and medians.
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
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("task-" + i);
    }
    double[] one = new double[runs];
    double[] oneSynced = new double[runs];
    double[] addSynced = new double[runs];
    double[] loopRatio = new double[runs];
    double[] add = new double[runs];
    double[] single = new double[runs];
    double[] twoProcs = new double[runs];
    double[] nothing = new double[runs];
    for (int run = -1; run < runs; run++) {
      Floor floor = Floor.measure();
      System.out.println(floor);
      Path home = Files.createTempDirectory("cairn-bench-tracker");
      try {
        double addRate;
        double addSyncedRate;
        double oneRate;
        double oneSyncedRate;
        double pairs;
        double decideMs;
        try (Cairn cairn = Cairn.open(home)) {
          ProgressTracker one1 = cairn.tracker("one");
          long t0 = System.nanoTime();
          for (String k : keys) {
            one1.addIfAbsent(k);
          }
          long t1 = System.nanoTime();
          one1.sync();
          long t2 = System.nanoTime();
          oneRate = n / ((t1 - t0) / 1e9);
          oneSyncedRate = n / ((t2 - t0) / 1e9);
          if (one1.size() != n) {
            throw new IllegalStateException("addIfAbsent stored " + one1.size() + " of " + n);
          }
          ProgressTracker t = cairn.tracker("t");
          t0 = System.nanoTime();
          t.addAll(keys);
          t1 = System.nanoTime();
          t.sync();
          t2 = System.nanoTime();
          addRate = n / ((t1 - t0) / 1e9);
          addSyncedRate = n / ((t2 - t0) / 1e9);
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
        double ratio = 1e6 / pairs / (2 * floor.batchRowMicros());
        System.out.printf(
            "%s: addIfAbsent one at a time %,.0f keys/s (%,.0f with the sync); addAll %,.0f keys/s"
                + " (%,.0f with the sync); tryKeys+markDone 1 thread %,.0f pairs/s = %.2fx two raw"
                + " batched rows, 2 processes %,.0f pairs/s (JVM start-up included);"
                + " nothing-to-do decision %.3f ms%n",
            run < 0 ? "warm-up" : "run " + (run + 1),
            oneRate,
            oneSyncedRate,
            addRate,
            addSyncedRate,
            pairs,
            ratio,
            procRate,
            decideMs);
        if (run >= 0) {
          one[run] = oneRate;
          oneSynced[run] = oneSyncedRate;
          addSynced[run] = addSyncedRate;
          loopRatio[run] = ratio;
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
        "%,d keys: median addIfAbsent %,.0f keys/s (%,.0f synced); addAll %,.0f keys/s (%,.0f"
            + " synced); tryKeys+markDone %,.0f pairs/s (1 thread) = %.2fx two raw batched rows,"
            + " %,.0f pairs/s (2 processes); nothing to do decided in %.3f ms%n",
        n,
        Bench.median(one),
        Bench.median(oneSynced),
        Bench.median(add),
        Bench.median(addSynced),
        Bench.median(single),
        Bench.median(loopRatio),
        Bench.median(twoProcs),
        Bench.median(nothing));
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
