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
 * writes. Values are small objects; every run uses a fresh home. Each run first measures the {@link
 * Floor} and a raw ordered scan of N rows (interleaved, so each ratio is to its own run's floor):
 * writes against raw batched upserts, reopen + read against the raw scan. Prints each run and
 * medians.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.MapThroughput
 * [entries=1000000] [runs=3] [durableEntries=100000]}
 */
public final class MapThroughput {
  public static void main(String[] args) throws Exception {
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
    double[] setRatio = new double[runs];
    double[] putRatio = new double[runs];
    double[] readRatio = new double[runs];
    long bytes = 0;
    for (int run = -1; run < runs; run++) { // run -1 warms the JIT up and is not counted
      Floor floor = Floor.measure();
      double scan = rawOrderedScanSeconds(n);
      System.out.printf("%s; raw ordered scan of %,d rows %.3f s%n", floor, n, scan);
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
        double setR = floor.batchRowsPerSecond / set;
        double putR = floor.batchRowsPerSecond / put;
        double readR = readS / scan;
        System.out.printf(
            "%s: set+close %,.0f/s (%.2fx a raw batched upsert), put+close %,.0f/s (%.2fx),"
                + " reopen+read all %.3f s (%.2fx the raw scan), %,d bytes on disk%n",
            run < 0 ? "warm-up" : "run " + (run + 1), set, setR, put, putR, readS, readR, bytes);
        if (run >= 0) {
          setRatio[run] = setR;
          putRatio[run] = putR;
          readRatio[run] = readR;
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
    System.out.printf(
        "median ratios: set %.2fx, put %.2fx raw batched upserts; reopen+read %.2fx a raw ordered"
            + " scan%n",
        Bench.median(setRatio), Bench.median(putRatio), Bench.median(readRatio));
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

  /**
   * Seconds to read {@code n} small rows in insertion order from a fresh connection: the raw floor
   * of reopening a map and reading it all.
   */
  static double rawOrderedScanSeconds(int n) throws Exception {
    Path dir = Files.createTempDirectory("cairn-bench-scan");
    try {
      String url = "jdbc:sqlite:" + dir.resolve("scan.db");
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
          java.sql.Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, k TEXT UNIQUE, v TEXT)");
        c.setAutoCommit(false);
        try (java.sql.PreparedStatement ins =
            c.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
          for (int i = 0; i < n; i++) {
            ins.setString(1, "url-" + i);
            ins.setString(2, "{\"i\":" + i + ",\"ok\":true}");
            ins.addBatch();
            if (i % 4_096 == 4_095 || i == n - 1) {
              ins.executeBatch();
            }
          }
        }
        c.commit();
      }
      long t0 = System.nanoTime();
      long read = 0;
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
          java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SELECT k, v FROM t ORDER BY seq")) {
        while (rs.next()) {
          read += rs.getString(1).length() + rs.getString(2).length() > 0 ? 1 : 0;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (read != n) {
        throw new IllegalStateException("raw scan read " + read + " of " + n);
      }
      return seconds;
    } finally {
      Bench.deleteTree(dir);
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
