package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code stats()} and the first page of {@code idsByStatus(ERROR)} with millions of resources in a
 * SQLite home: 0.1% of them ERROR, spread evenly, the rest COMPLETED. The home is built once
 * (through the state store's batched writes) and kept for later runs.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.StatsAtScale
 * [resources=10000000] [home=/tmp/cairn-bench-stats-10m]}
 */
public final class StatsAtScale {
  private static final String COLLECTION = "big";
  private static final int SAMPLES = 200;

  public static void main(String[] args) throws Exception {
    System.out.println(Floor.measure()); // the floor this run is judged against
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path home =
        Path.of(args.length > 1 ? args[1] : "/tmp/cairn-bench-stats-" + n / 1_000_000 + "m");
    populate(home, n);
    try (Cairn cairn = Cairn.open(home)) {
      long t0 = System.nanoTime();
      Stats first = cairn.stats(COLLECTION);
      double firstStatsMs = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      Page<String> firstPage = cairn.idsByStatus(COLLECTION, Status.ERROR, null, 100);
      double firstPageMs = (System.nanoTime() - t0) / 1e6;
      System.out.printf(
          "home %s: %,d resources (%,d completed, %,d error)%n",
          home, first.total(), first.count(Status.COMPLETED), first.count(Status.ERROR));
      System.out.printf(
          "first call after open: stats %.3f ms, first page of 100 errors %.3f ms%n",
          firstStatsMs, firstPageMs);
      if (firstPage.items().size() != 100) {
        throw new IllegalStateException("expected a full page, got " + firstPage.items().size());
      }
      double[] stats = new double[SAMPLES];
      double[] page = new double[SAMPLES];
      double[] all = new double[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        t0 = System.nanoTime();
        cairn.stats(COLLECTION);
        stats[i] = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        cairn.idsByStatus(COLLECTION, Status.ERROR, null, 100);
        page[i] = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        cairn.stats();
        all[i] = (System.nanoTime() - t0) / 1e6;
      }
      System.out.printf(
          "median of %d: stats(c) %.3f ms, stats() %.3f ms, idsByStatus(c, ERROR, first 100)"
              + " %.3f ms%n",
          SAMPLES, Bench.median(stats), Bench.median(all), Bench.median(page));
    }
  }

  static void populate(Path home, long n) throws Exception {
    if (Files.exists(home.resolve("cairn.db"))) {
      try (StateStore store = StateStores.sqlite(home.resolve("cairn.db"))) {
        if (store.stats(COLLECTION).total() == n) {
          return;
        }
      }
      Bench.deleteTree(home);
    }
    Files.createDirectories(home);
    long start = System.nanoTime();
    try (StateStore store = StateStores.sqlite(home.resolve("cairn.db"))) {
      store.registerCollection(COLLECTION, "");
      long now = System.currentTimeMillis();
      List<StateChange> batch = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        String key = "resource-" + i;
        batch.add(
            new Changes.Claim(COLLECTION, key, "bench", now, now + 60_000, "{}", null, false));
        batch.add(
            i % 1_000 == 999
                ? new Changes.Fail(COLLECTION, key, "bench", 1, "boom", now, now, false)
                : new Changes.Complete(
                    COLLECTION, key, "bench", 1, "{\"i\":" + i + "}", "fp", now, now));
        if (batch.size() >= 8_192) {
          store.apply(batch);
          batch.clear();
        }
        if (i % 1_000_000 == 999_999) {
          System.out.printf("populated %,d in %.0f s%n", i + 1, (System.nanoTime() - start) / 1e9);
        }
      }
      store.apply(batch);
    }
  }
}
