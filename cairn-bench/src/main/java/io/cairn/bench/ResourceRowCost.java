package io.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one tracker claim + done mark costs in raw SQL, step by step, against the floor's narrow
 * row: the resources table as Cairn's schema has it (16 columns, three secondary indexes), written
 * the way the store writes it (read the current rows, then a wide upsert), then narrower and
 * narrower until only the floor's write is left. No Cairn code runs: this is the part of the
 * tracker loop's cost that the schema itself sets.
 *
 * <pre>java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.ResourceRowCost [keys] [runs]
 * </pre>
 */
public final class ResourceRowCost {
  private static final String TABLE =
      "CREATE TABLE resources (collection_id INTEGER NOT NULL, key TEXT NOT NULL, seq INTEGER NOT"
          + " NULL, status INTEGER NOT NULL, attempts INTEGER NOT NULL, args TEXT, result TEXT,"
          + " error TEXT, fingerprint TEXT, queued_at INTEGER NOT NULL, started_at INTEGER NOT"
          + " NULL, ended_at INTEGER NOT NULL, owner TEXT, lease_until INTEGER NOT NULL, work"
          + " TEXT, change_seq INTEGER NOT NULL, PRIMARY KEY (collection_id, key)) WITHOUT ROWID";
  private static final String[] INDEXES = {
    "CREATE INDEX resources_by_status ON resources (collection_id, status, seq)",
    "CREATE INDEX resources_by_change ON resources (change_seq)",
    "CREATE INDEX resources_queue ON resources (collection_id, seq)"
        + " WHERE status = 1 AND work IS NOT NULL"
  };
  private static final String NARROW =
      "UPDATE resources SET status = ?, attempts = ?, started_at = ?, ended_at = ?, owner = ?,"
          + " lease_until = ?, change_seq = ? WHERE collection_id = 1 AND key = ?";
  private static final int ROWS_PER_STATEMENT = 64;
  private static final int STATEMENTS_PER_COMMIT = 32;

  private long changeSeq = 1;

  private ResourceRowCost() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String[] names = {
      "read + wide upsert (the store before)",
      "read + narrow update (the store now)",
      "narrow update, no read",
      "narrow update, no read, no secondary index",
      "the floor: a 3-column row, no index"
    };
    double[][] us = new double[names.length][runs];
    for (int run = -1; run < runs; run++) {
      double[] r = new ResourceRowCost().measure(n);
      if (run >= 0) {
        for (int i = 0; i < r.length; i++) {
          us[i][run] = r[i];
        }
      }
    }
    double floor = Bench.median(us[names.length - 1]);
    System.out.printf(
        "%,d keys, claim + done mark per key (two row writes), median of %d:%n", n, runs);
    for (int i = 0; i < names.length; i++) {
      double m = Bench.median(us[i]);
      System.out.printf("  %-45s %6.2f µs = %.2fx the floor%n", names[i], m, m / floor);
    }
  }

  /** µs per key for each step, on a fresh database file. */
  private double[] measure(int n) throws Exception {
    Path dir = Files.createTempDirectory("cairn-bench-rowcost");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.db"))) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=NORMAL");
        st.execute(TABLE);
        for (String index : INDEXES) {
          st.execute(index);
        }
        st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, status INTEGER, v TEXT) WITHOUT ROWID");
      }
      c.setAutoCommit(false);
      fill(c, n);
      double wide = twoPasses(c, n, true, true);
      double narrow = twoPasses(c, n, true, false);
      double noRead = twoPasses(c, n, false, false);
      try (Statement st = c.createStatement()) {
        st.execute("DROP INDEX resources_by_status");
        st.execute("DROP INDEX resources_by_change");
        st.execute("DROP INDEX resources_queue");
      }
      c.commit();
      double noIndex = twoPasses(c, n, false, false);
      return new double[] {wide, narrow, noRead, noIndex, floor(c, n)};
    } finally {
      Bench.deleteTree(dir);
    }
  }

  private void fill(Connection c, int n) throws SQLException {
    try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO resources VALUES (1, ?, ?, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0,"
                    + " NULL, 0, NULL, ?)");
        PreparedStatement t = c.prepareStatement("INSERT INTO t VALUES (?, 0, NULL)")) {
      for (int i = 0; i < n; i++) {
        ins.setString(1, key(i));
        ins.setLong(2, i);
        ins.setLong(3, changeSeq++);
        ins.addBatch();
        t.setString(1, key(i));
        t.addBatch();
      }
      ins.executeBatch();
      t.executeBatch();
    }
    c.commit();
  }

  /** A claim pass and a done pass over every key, 64 keys per statement as the store batches. */
  private double twoPasses(Connection c, int n, boolean read, boolean wide) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(selectSql());
        PreparedStatement upsert = c.prepareStatement(upsertSql());
        PreparedStatement update = c.prepareStatement(NARROW)) {
      long t0 = System.nanoTime();
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
          if (read) {
            for (int k = 0; k < ROWS_PER_STATEMENT; k++) {
              select.setString(k + 1, key(i + k));
            }
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                rs.getString(2);
              }
            }
          }
          if (wide) {
            int p = 1;
            for (int k = 0; k < ROWS_PER_STATEMENT; k++) {
              upsert.setLong(p++, 1);
              upsert.setString(p++, key(i + k));
              upsert.setLong(p++, i + k);
              upsert.setInt(p++, pass == 0 ? 2 : 3);
              upsert.setInt(p++, 1);
              for (int text = 0; text < 4; text++) {
                upsert.setString(p++, null);
              }
              upsert.setLong(p++, 5);
              upsert.setLong(p++, 6);
              upsert.setLong(p++, pass == 0 ? 0 : 7);
              upsert.setString(p++, pass == 0 ? "host:123" : null);
              upsert.setLong(p++, pass == 0 ? 999 : 0);
              upsert.setString(p++, null);
              upsert.setLong(p++, changeSeq++);
            }
            upsert.executeUpdate();
          } else {
            for (int k = 0; k < ROWS_PER_STATEMENT; k++) {
              update.setInt(1, pass == 0 ? 2 : 3);
              update.setInt(2, 1);
              update.setLong(3, 6);
              update.setLong(4, pass == 0 ? 0 : 7);
              update.setString(5, pass == 0 ? "host:123" : null);
              update.setLong(6, pass == 0 ? 999 : 0);
              update.setLong(7, changeSeq++);
              update.setString(8, key(i + k));
              update.addBatch();
            }
            update.executeBatch();
          }
          if ((i / ROWS_PER_STATEMENT) % STATEMENTS_PER_COMMIT == STATEMENTS_PER_COMMIT - 1) {
            c.commit();
          }
        }
        c.commit();
      }
      return (System.nanoTime() - t0) / 1e3 / n;
    }
  }

  /** The floor's write: two batched single-row updates per key of a narrow unindexed row. */
  private static double floor(Connection c, int n) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE t SET status = ?, v = ? WHERE k = ?")) {
      long t0 = System.nanoTime();
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
          up.setInt(1, pass + 1);
          up.setString(2, "x");
          up.setString(3, key(i));
          up.addBatch();
          if (i % 2_048 == 2_047) {
            up.executeBatch();
            c.commit();
          }
        }
        up.executeBatch();
        c.commit();
      }
      return (System.nanoTime() - t0) / 1e3 / n;
    }
  }

  private static String selectSql() {
    return "SELECT seq, key, status, attempts, args, result, error, fingerprint, queued_at,"
        + " started_at, ended_at, owner, lease_until, work, change_seq FROM resources WHERE"
        + " collection_id = 1 AND key IN "
        + marks(ROWS_PER_STATEMENT, 1);
  }

  private static String upsertSql() {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO resources (collection_id, key, seq, status, attempts, args, result,"
                + " error, fingerprint, queued_at, started_at, ended_at, owner, lease_until,"
                + " work, change_seq) VALUES ");
    for (int k = 0; k < ROWS_PER_STATEMENT; k++) {
      sql.append(k == 0 ? "" : ", ").append(marks(1, 16));
    }
    return sql.append(
            " ON CONFLICT (collection_id, key) DO UPDATE SET status = excluded.status, attempts"
                + " = excluded.attempts, args = excluded.args, result = excluded.result, error ="
                + " excluded.error, fingerprint = excluded.fingerprint, queued_at ="
                + " excluded.queued_at, started_at = excluded.started_at, ended_at ="
                + " excluded.ended_at, owner = excluded.owner, lease_until ="
                + " excluded.lease_until, work = excluded.work, change_seq = excluded.change_seq")
        .toString();
  }

  /** {@code (?, ?, ...)} with {@code rows × columns} marks. */
  private static String marks(int rows, int columns) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < rows * columns; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.append(')').toString();
  }

  private static String key(int i) {
    return "https://example.org/page/" + i;
  }
}
