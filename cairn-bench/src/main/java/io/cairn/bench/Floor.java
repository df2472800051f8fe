package io.cairn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The physical floor each benchmark is judged against, measured in the same run: what raw SQLite
 * (WAL, {@code synchronous=NORMAL}, as Cairn opens it) and the file system do on this machine right
 * now, with no Cairn code at all. Machines here differ by up to 4x from day to day, so figures are
 * compared as ratios to these.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.Floor}
 */
public final class Floor {
  /** Rows per second that raw batched upserts reach: 2,048 single-row upserts per transaction. */
  public final double batchRowsPerSecond;

  /** Microseconds for two raw single-row transactions (an insert, then an update of that row). */
  public final double twoTransactionsMicros;

  /** Microseconds for an atomic small-file write: temp file, fsync, rename, fsync of the dir. */
  public final double atomicWriteMicros;

  /** Microseconds for one raw primary-key read of a small row (a prepared statement). */
  public final double pointReadMicros;

  /**
   * Microseconds for one raw primary-key read plus parsing the JSON it returns (with the parser
   * Cairn uses): what a cached fetch cannot avoid.
   */
  public final double pointReadParseMicros;

  private Floor(double batch, double two, double atomic, double read, double readParse) {
    this.batchRowsPerSecond = batch;
    this.twoTransactionsMicros = two;
    this.atomicWriteMicros = atomic;
    this.pointReadMicros = read;
    this.pointReadParseMicros = readParse;
  }

  /** Microseconds one row of a raw batched upsert costs. */
  public double batchRowMicros() {
    return 1e6 / batchRowsPerSecond;
  }

  public static void main(String[] args) throws Exception {
    System.out.println(measure());
  }

  /** Measures all three (medians of 3 short runs each, after a warm-up); about 3 s. */
  public static Floor measure() throws Exception {
    Path dir = Files.createTempDirectory("cairn-bench-floor");
    try {
      batch(dir, 20_000); // warm-up: the native library, the JIT
      double[] b = new double[3];
      double[] t = new double[3];
      double[] a = new double[3];
      double[] r = new double[3];
      double[] rp = new double[3];
      for (int i = 0; i < 3; i++) {
        b[i] = batch(dir, 200_000);
        r[i] = pointReads(dir, 200_000, 100_000, false); // over the rows batch() left
        rp[i] = pointReads(dir, 200_000, 100_000, true);
        t[i] = twoTransactions(dir, 2_000);
        a[i] = atomicWrites(dir, 300);
      }
      return new Floor(
          Bench.median(b), Bench.median(t), Bench.median(a), Bench.median(r), Bench.median(rp));
    } finally {
      Bench.deleteTree(dir);
    }
  }

  @Override
  public String toString() {
    return String.format(
        "floor: raw SQLite batch %,.0f rows/s (%.2f µs/row); two raw single-row transactions"
            + " %.1f µs; raw point read %.2f µs (+ JSON parse %.2f µs); atomic file write %.1f µs",
        batchRowsPerSecond,
        batchRowMicros(),
        twoTransactionsMicros,
        pointReadMicros,
        pointReadParseMicros,
        atomicWriteMicros);
  }

  private static Connection open(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=NORMAL");
      st.execute(
          "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, status INTEGER, v TEXT) WITHOUT"
              + " ROWID");
      st.execute("DELETE FROM t");
    }
    c.setAutoCommit(false);
    return c;
  }

  private static double batch(Path dir, int rows) throws SQLException {
    return batchInto(dir.resolve("batch.db"), rows);
  }

  /** Fills table t of {@code file} with rows {@code item-0..rows-1}, in batches. */
  static double batchInto(Path file, int rows) throws SQLException {
    try (Connection c = open(file)) {
      c.commit();
      return batchRows(c, rows);
    }
  }

  /**
   * Upserts rows {@code item-0..rows-1} into table t (k, status, v) of {@code c}, 2,048 per
   * transaction: the floor's batched write, on SQLite or PostgreSQL alike. Returns rows/s.
   */
  static double batchRows(Connection c, int rows) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement up =
        c.prepareStatement(
            "INSERT INTO t(k, status, v) VALUES (?, ?, ?) ON CONFLICT(k) DO UPDATE SET"
                + " status = excluded.status, v = excluded.v")) {
      long t0 = System.nanoTime();
      for (int i = 0; i < rows; i++) {
        up.setString(1, "item-" + i);
        up.setInt(2, 3);
        up.setString(3, "{\"id\":\"item-" + i + "\",\"ok\":true}");
        up.addBatch();
        if (i % 2_048 == 2_047 || i == rows - 1) {
          up.executeBatch();
          c.commit();
        }
      }
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static double twoTransactions(Path dir, int pairs) throws SQLException {
    Path file = dir.resolve("two.db");
    try (Connection c = open(file);
        PreparedStatement ins = c.prepareStatement("INSERT INTO t(k, status, v) VALUES (?, 1, ?)");
        PreparedStatement upd = c.prepareStatement("UPDATE t SET status = 3, v = ? WHERE k = ?")) {
      c.commit();
      long t0 = System.nanoTime();
      for (int i = 0; i < pairs; i++) {
        ins.setString(1, "item-" + i);
        ins.setString(2, "{}");
        ins.executeUpdate();
        c.commit();
        upd.setString(1, "{\"ok\":true}");
        upd.setString(2, "item-" + i);
        upd.executeUpdate();
        c.commit();
      }
      return (System.nanoTime() - t0) / 1e3 / pairs;
    }
  }

  /**
   * Reads the {@code rows} rows that the {@link #batch} just before it left in the table, parsing
   * each row's JSON when {@code parse}.
   */
  private static double pointReads(Path dir, int rows, int reads, boolean parse)
      throws SQLException {
    return pointReadsOf(dir.resolve("batch.db"), rows, reads, parse);
  }

  /** Point reads (and parses) of rows {@code item-0..rows-1} of table t in {@code file}. */
  static double pointReadsOf(Path file, int rows, int reads, boolean parse) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement get = c.prepareStatement("SELECT status, v FROM t WHERE k = ?")) {
      long t0 = System.nanoTime();
      long found = 0;
      for (int i = 0; i < reads; i++) {
        get.setString(1, "item-" + (i * 7919L % rows));
        try (var rs = get.executeQuery()) {
          if (rs.next()) {
            String v = rs.getString(2);
            found += parse ? io.cairn.internal.json.Json.readMap(v).size() : v.length();
          }
        }
      }
      if (found == 0) {
        throw new IllegalStateException("read nothing");
      }
      return (System.nanoTime() - t0) / 1e3 / reads;
    }
  }

  private static double atomicWrites(Path dir, int n) throws IOException {
    Path out = Files.createDirectories(dir.resolve("files"));
    byte[] bytes = "{\"task\":\"t\",\"params\":{\"n\":1}}\n".getBytes();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Path tmp = out.resolve(".tmp-" + i);
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, out.resolve("f-" + i), StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(out, StandardOpenOption.READ)) {
        d.force(true);
      }
    }
    return (System.nanoTime() - t0) / 1e3 / n;
  }
}
