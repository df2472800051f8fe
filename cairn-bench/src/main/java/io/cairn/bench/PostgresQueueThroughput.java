package io.cairn.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link QueueThroughput} on PostgreSQL: starts an embedded PostgreSQL 17 with its default
 * durability (fsync and synchronous_commit on), then, bracketing the Cairn figures, the floor: 1, 2
 * and 4 connections each looping a plain JDBC claim ({@code UPDATE ... WHERE id IN (SELECT ... FOR
 * UPDATE SKIP LOCKED LIMIT n) RETURNING id}) and complete ({@code UPDATE ... WHERE id = ANY(?) AND
 * owner = ?}) in the same batch size, autocommit, on a bare table. Also prints the CPU seconds the
 * PostgreSQL processes used per phase beside the wall time, to say whether the server's CPU is the
 * bottleneck.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar
 * io.cairn.bench.PostgresQueueThroughput [jobs=100000] [workerJobs=20000] [rounds=3]
 * [processes=1,2,4] [claim=256] [threads=2]} (the arguments of {@link QueueThroughput}).
 */
public final class PostgresQueueThroughput {
  private static String jdbcUrl;

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String procs = args.length > 3 ? args[3] : "1,2,4";
    int claim = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    Path data = Files.createTempDirectory("cairn-bench-pg");
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setServerConfig("max_connections", "200")
            .start()) {
      jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      System.setProperty("cairn.bench.store", url);
      floor(jobs, procs, claim);
      long cpu0 = postgresCpuTicks();
      long t0 = System.nanoTime();
      QueueThroughput.main(args);
      printCpu("Cairn rounds", cpu0, t0);
      floor(jobs, procs, claim);
    } finally {
      Bench.deleteTree(data);
    }
  }

  /** Empties the database between rounds (QueueThroughput calls it; no-op on SQLite). */
  static void reset() throws SQLException {
    if (jdbcUrl == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }
  }

  private static void floor(int jobs, String procs, int claim) throws Exception {
    for (String p : procs.split(",")) {
      int n = Integer.parseInt(p.trim());
      reset();
      try (Connection c = DriverManager.getConnection(jdbcUrl);
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE jobs (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, status INT NOT NULL,"
                + " owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0, result TEXT)");
        st.execute("CREATE INDEX jobs_status ON jobs (status, id)");
        st.execute(
            "INSERT INTO jobs (key, status) SELECT 'k' || i, 0 FROM generate_series(1, "
                + jobs
                + ") i");
        st.execute("VACUUM ANALYZE jobs");
      }
      long cpu0 = postgresCpuTicks();
      long t0 = System.nanoTime();
      AtomicLong done = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String owner = "floor-" + i;
        fs.add(pool.submit(() -> floorLoop(owner, claim, done)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "floor: %d connection(s), claim(%d)+complete in plain JDBC: %,.0f jobs/s (%,d jobs)%n",
          n, claim, done.get() / s, done.get());
      printCpu("floor " + n, cpu0, t0);
    }
  }

  private static Void floorLoop(String owner, int claim, AtomicLong done) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement take =
            c.prepareStatement(
                "UPDATE jobs SET status = 1, owner = ?, lease_until = ? WHERE id IN (SELECT id"
                    + " FROM jobs WHERE status = 0 ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING id");
        PreparedStatement complete =
            c.prepareStatement(
                "UPDATE jobs SET status = 2, result = '{}' WHERE id = ANY(?) AND owner = ?")) {
      while (true) {
        take.setString(1, owner);
        take.setLong(2, System.currentTimeMillis() + 30_000);
        take.setInt(3, claim);
        List<Long> ids = new ArrayList<>(claim);
        try (ResultSet rs = take.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        if (ids.isEmpty()) {
          return null;
        }
        Array a = c.createArrayOf("bigint", ids.toArray());
        complete.setArray(1, a);
        complete.setString(2, owner);
        done.addAndGet(complete.executeUpdate());
      }
    }
  }

  private static void printCpu(String phase, long ticks0, long t0) {
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (postgresCpuTicks() - ticks0) / 100.0; // USER_HZ
    System.out.printf(
        "  %s: postgres processes used %.1f CPU s in %.1f s wall (%.0f%% of one core; %d"
            + " cores); load %s%n",
        phase,
        cpu,
        wall,
        100 * cpu / wall,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
  }

  /**
   * User+system ticks of every live process named postgres (the server's backends, WAL writer,
   * checkpointer), from /proc, plus the time of the backends that ended (the postmaster's reaped
   * children).
   */
  private static long postgresCpuTicks() {
    long sum = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.toList()) {
        if (!d.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String comm = stat.substring(stat.indexOf('(') + 1, close);
          if (!comm.equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          // utime, stime, and cutime, cstime: the postmaster's reaped backends count there
          sum +=
              Long.parseLong(f[11])
                  + Long.parseLong(f[12])
                  + Long.parseLong(f[13])
                  + Long.parseLong(f[14]);
        } catch (Exception gone) {
          // the process ended meanwhile
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return sum;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
