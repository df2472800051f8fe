package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Durable maps, end to end on a SQLite home: N writes with the default write-behind, then close
 * (the final sync included); reopen and read every entry in order; the same with {@code durable}
 * writes. Values are small objects; every run uses a fresh home. Prints each run and medians.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.MapThroughput
 * [entries=1000000] [runs=3] [durableEntries=100000]}
 */
public final class MapThroughput {
  public static void main(String[] args) throws Exception {
    System.out.println(Floor.measure()); // the floor this run is judged against
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int durableN = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("url-" + i);
    }
    double[] setRates = new double[runs];
    double[] putRates = new double[runs];
    double[] readSeconds = new double[runs];
    long bytes = 0;
    for (int run = -1; run < runs; run++) { // run -1 warms the JIT up and is not counted
      Path home = Files.createTempDirectory("cairn-bench-map");
      try {
        long t0 = System.nanoTime();
        try (Cairn cairn = Cairn.open(home)) {
          DurableMap<Object> m = cairn.map("m");
          for (int i = 0; i < n; i++) {
            m.set(keys.get(i), Map.of("i", i, "ok", true));
          }
        }
        double set = n / ((System.nanoTime() - t0) / 1e9);
        bytes = sizeOf(home);
        t0 = System.nanoTime();
        long read = 0;
        try (Cairn cairn = Cairn.open(home)) {
          for (Map.Entry<String, Object> e : cairn.map("m").entrySet()) {
            if (e.getValue() != null) {
              read++;
            }
          }
        }
        double readS = (System.nanoTime() - t0) / 1e9;
        if (read != n) {
          throw new IllegalStateException("read " + read + " of " + n);
        }
        Bench.deleteTree(home);
        Files.createDirectories(home);
        t0 = System.nanoTime();
        try (Cairn cairn = Cairn.open(home)) {
          DurableMap<Object> m = cairn.map("m");
          for (int i = 0; i < n; i++) {
            m.put(keys.get(i), Map.of("i", i, "ok", true));
          }
        }
        double put = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(
            "%s: set+close %,.0f/s, put+close %,.0f/s, reopen+read all %.3f s, %,d bytes on disk%n",
            run < 0 ? "warm-up" : "run " + (run + 1), set, put, readS, bytes);
        if (run >= 0) {
          setRates[run] = set;
          putRates[run] = put;
          readSeconds[run] = readS;
        }
      } finally {
        Bench.deleteTree(home);
      }
    }
    System.out.printf(
        "%,d entries, write-behind: median set+close %,.0f/s, put+close %,.0f/s; reopen and read"
            + " all median %.3f s; %,d bytes on disk (%.1f bytes/entry)%n",
        n,
        Bench.median(setRates),
        Bench.median(putRates),
        Bench.median(readSeconds),
        bytes,
        (double) bytes / n);
    for (int threads : new int[] {1, 4}) {
      Path home = Files.createTempDirectory("cairn-bench-map-durable");
      try (Cairn cairn = Cairn.open(home)) {
        DurableMap<Object> m = cairn.map("d", Object.class, MapOptions.defaults().durable(true));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          fs.add(
              pool.submit(
                  () -> {
                    for (int i = first; i < durableN; i += threads) {
                      m.put(keys.get(i), Map.of("i", i, "ok", true));
                    }
                  }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        double rate = durableN / ((System.nanoTime() - t0) / 1e9);
        pool.shutdown();
        System.out.printf(
            "durable puts, %d thread%s: %,d in %.2f s = %,.0f/s%n",
            threads, threads == 1 ? "" : "s", durableN, durableN / rate, rate);
      } finally {
        Bench.deleteTree(home);
      }
    }
  }

  static long sizeOf(Path home) throws Exception {
    try (Stream<Path> files = Files.list(home)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("cairn.db"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }
}
