package io.cairn.bench;

import io.cairn.Status;
import io.cairn.postgres.PostgresStore;
import io.cairn.spi.StateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * {@code stats(collection)} on PostgreSQL with millions of resources (0.1% ERROR, the rest
 * COMPLETED), on an embedded PostgreSQL 17 started here. The rows and their counter shards are
 * written by one SQL statement each (the store's own write path would take many minutes for ten
 * million rows and is measured by {@link QueueThroughput}); the read is the store's.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.PostgresStatsAtScale
 * [resources=10000000]}
 */
public final class PostgresStatsAtScale {
  private static final int SAMPLES = 200;

  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path data = Files.createTempDirectory("cairn-bench-pg-stats");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).start()) {
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      String jdbc = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      try (StateStore store = PostgresStore.open(url)) {
        store.registerCollection("big", "");
      }
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(jdbc);
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO resources (collection_id, key, seq, status, attempts, args, result,"
                + " error, fingerprint, queued_at, started_at, ended_at, owner, lease_until,"
                + " change_seq) SELECT (SELECT id FROM collections WHERE name = 'big'),"
                + " 'resource-' || i, i, CASE WHEN i % 1000 = 999 THEN "
                + Status.ERROR.ordinal()
                + " ELSE "
                + Status.COMPLETED.ordinal()
                + " END, 1, '{}', '{\"i\":' || i || '}', NULL, 'fp', 0, 0, 0, NULL, 0, i"
                + " FROM generate_series(0, "
                + (n - 1)
                + ") i");
        st.execute(
            "INSERT INTO status_count_shards (collection_id, status, shard, n) SELECT"
                + " collection_id, status, 0, COUNT(*) FROM resources GROUP BY 1, 2");
        st.execute(
            "INSERT INTO status_count_shards (collection_id, status, shard, n) SELECT"
                + " collection_id, 99, 0, COUNT(*) FROM resources GROUP BY 1");
        st.execute("VACUUM ANALYZE resources");
      }
      System.out.printf("populated %,d rows by SQL in %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
      try (StateStore store = PostgresStore.open(url)) {
        t0 = System.nanoTime();
        var first = store.stats("big");
        double firstMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(
            "%,d resources (%,d completed, %,d error); first stats after open %.3f ms%n",
            first.total(), first.count(Status.COMPLETED), first.count(Status.ERROR), firstMs);
        if (first.total() != n) {
          throw new IllegalStateException("expected " + n + " resources, stats say " + first);
        }
        double[] ms = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
          t0 = System.nanoTime();
          store.stats("big");
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf(
            "median of %d: stats(c) %.3f ms; load %s%n",
            SAMPLES, Bench.median(ms), Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      }
    } finally {
      Bench.deleteTree(data);
    }
  }
}
