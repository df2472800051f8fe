package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.pipeline.RunOptions;
import io.cairn.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@link PipelineThroughput}'s independent jobs (one task over an in-memory repository of N keys,
 * trivial in-process jobs, 2 workers) on PostgreSQL, beside the same on SQLite, each judged against
 * its own floor measured in the same round: on PostgreSQL a plain JDBC loop of batched upserts
 * (2,048 rows per transaction, the shape of {@link Floor}'s raw SQLite batch) into a bare table of
 * an embedded PostgreSQL 17 with its default durability (fsync and synchronous_commit on); on
 * SQLite {@link Floor}. The machine is shared, so every round prints the load average beside its
 * figures, and the summary gives medians of the rounds.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar
 * io.cairn.bench.PostgresPipelineThroughput [jobs=100000] [rounds=3] [workers=2]}
 */
public final class PostgresPipelineThroughput {
  private static final int FLOOR_ROWS = 100_000;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    RunOptions options = RunOptions.defaults().withWorkers(workers).withPoll(Duration.ofMillis(10));
    Path data = Files.createTempDirectory("cairn-bench-pg");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setServerConfig("max_connections", "200")
            .start()) {
      String jdbc = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      java.util.function.Function<Path, Cairn> onPostgres =
          home -> Cairn.builder().home(home).stateStore(PostgresStore.open(url)).open();
      // warm-up (JIT, the driver, PostgreSQL's caches), not reported
      reset(jdbc);
      PipelineThroughput.independent(Math.min(n, 10_000), options, false, onPostgres);
      PipelineThroughput.independent(Math.min(n, 10_000), options, false, Cairn::open);
      double[] pgJob = new double[rounds];
      double[] pgFloor = new double[rounds];
      double[] liteJob = new double[rounds];
      double[] liteFloor = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        String load0 = load();
        pgFloor[r] = 1e6 / floor(jdbc, FLOOR_ROWS);
        reset(jdbc);
        pgJob[r] = PipelineThroughput.independent(n, options, false, onPostgres)[0];
        liteFloor[r] = Floor.measure().batchRowMicros();
        liteJob[r] = PipelineThroughput.independent(n, options, false, Cairn::open)[0];
        System.out.printf(
            "round %d (load %s -> %s): PostgreSQL %,.0f jobs/s (%.1f µs/job) = %.2fx a batched"
                + " row (floor %.2f µs/row); SQLite %,.0f jobs/s (%.1f µs/job) = %.2fx a batched"
                + " row (floor %.2f µs/row)%n",
            r + 1,
            load0,
            load(),
            1e6 / pgJob[r],
            pgJob[r],
            pgJob[r] / pgFloor[r],
            pgFloor[r],
            1e6 / liteJob[r],
            liteJob[r],
            liteJob[r] / liteFloor[r],
            liteFloor[r]);
      }
      double[] pgRatio = new double[rounds];
      double[] liteRatio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        pgRatio[r] = pgJob[r] / pgFloor[r];
        liteRatio[r] = liteJob[r] / liteFloor[r];
      }
      System.out.printf(
          "independent %,d jobs, median of %d rounds: PostgreSQL %,.0f jobs/s (%.1f µs/job),"
              + " %.2fx its floor (%.2f µs/row); SQLite %,.0f jobs/s (%.1f µs/job), %.2fx its"
              + " floor (%.2f µs/row)%n",
          n,
          rounds,
          1e6 / Bench.median(pgJob),
          Bench.median(pgJob),
          Bench.median(pgRatio),
          Bench.median(pgFloor),
          1e6 / Bench.median(liteJob),
          Bench.median(liteJob),
          Bench.median(liteRatio),
          Bench.median(liteFloor));
    } finally {
      Bench.deleteTree(data);
    }
  }

  private static void reset(String jdbc) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }
  }

  /** Rows/s of raw batched upserts: 2,048 a transaction, as {@link Floor} does on SQLite. */
  private static double floor(String jdbc, int rows) throws SQLException {
    reset(jdbc);
    try (Connection c = DriverManager.getConnection(jdbc)) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, status INT, v TEXT)");
      }
      return Floor.batchRows(c, rows);
    }
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
