package io.cairn.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * SQLite in WAL mode: readers never block the writer, and writers of all processes on one file take
 * turns through {@code BEGIN IMMEDIATE} with a busy timeout. Because that lock serializes every
 * write transaction on the file, {@link #lockForUpdate} has nothing to do and sequences can be read
 * and bumped in the same transaction; all processes run on one host, so the store's clock is the
 * JVM's.
 */
public final class SqliteDialect implements SqlDialect {
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int WAL_CHECKPOINT_PAGES = 10_000;

  private final String url;
  private final boolean syncEveryCommit;

  /**
   * @param file the database file
   * @param syncEveryCommit {@code synchronous=FULL}: every commit survives power loss, not just a
   *     process crash; slower
   */
  private static final int BEGIN = 0;

  private static final int COMMIT = 1;
  private static final int NEXT_SEQS = 2;

  /**
   * The writer connections' statements that every transaction runs, prepared once per connection:
   * preparing costs SQLite more than running them (a lone fetch runs two transactions). A
   * connection is used by one thread at a time (the store's write lock); a replaced one is dropped
   * with its statements.
   */
  private final Map<Connection, PreparedStatement[]> hot =
      Collections.synchronizedMap(new WeakHashMap<>());

  private PreparedStatement prepared(Connection c, int which, String sql) throws SQLException {
    PreparedStatement[] statements = hot.computeIfAbsent(c, k -> new PreparedStatement[3]);
    PreparedStatement ps = statements[which];
    if (ps == null || ps.isClosed()) {
      ps = c.prepareStatement(sql);
      statements[which] = ps;
    }
    return ps;
  }

  public SqliteDialect(Path file, boolean syncEveryCommit) {
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    this.syncEveryCommit = syncEveryCommit;
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public Connection openWriter() throws SQLException {
    // Auto-commit stays on and transactions are explicit: with auto-commit off, the driver would
    // begin the next transaction right after each commit and hold the file's write lock between
    // batches, locking every other process out.
    return baseConfig().createConnection(url);
  }

  @Override
  public void begin(Connection writer) throws SQLException {
    prepared(writer, BEGIN, "BEGIN IMMEDIATE").execute();
  }

  @Override
  public void commit(Connection writer) throws SQLException {
    prepared(writer, COMMIT, "COMMIT").execute();
  }

  @Override
  public void rollback(Connection writer) throws SQLException {
    // A fresh statement: a rollback that fails would leave the write lock held.
    try (Statement st = writer.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
        throw e;
      }
    }
  }

  @Override
  public void limitBusyWait(Connection writer, Duration wait) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + Math.max(1, wait.toMillis()));
    }
  }

  @Override
  public Connection openReader() throws SQLException {
    return baseConfig().createConnection(url);
  }

  private SQLiteConfig baseConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        syncEveryCommit ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-65_536); // KiB: the hot pages of a few million resources
    // The driver would otherwise run and re-prepare "SELECT last_insert_rowid()" after every
    // INSERT; nothing here reads generated keys.
    config.setGetGeneratedKeys(false);
    // Checkpoint less often than the default 1,000 pages: hot index pages rewritten by every batch
    // are then copied to the database file once per checkpoint rather than many times.
    config.setWalAutocheckpoint(WAL_CHECKPOINT_PAGES);
    return config;
  }

  @Override
  public boolean isRetryable(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code;
  }

  /**
   * One {@code UPDATE ... RETURNING} under the write lock {@link #begin} took: no other transaction
   * on the file can run between the read and the bump.
   */
  @Override
  public long nextSeqs(Connection writer, String name, int n) throws SQLException {
    if (n < 1) {
      throw new IllegalArgumentException("allocate at least 1 sequence number, got " + n);
    }
    PreparedStatement ps =
        prepared(
            writer,
            NEXT_SEQS,
            "UPDATE sequences SET next = next + ? WHERE name = ? RETURNING next - ?");
    ps.setInt(1, n);
    ps.setString(2, name);
    ps.setInt(3, n);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("sequences table has no '" + name + "' row");
      }
      return rs.getLong(1);
    }
  }

  /** The JVM's clock: every process sharing a SQLite file runs on the file's host. */
  @Override
  public long now(Connection connection) {
    return System.currentTimeMillis();
  }

  @Override
  public String schemaDirectory() {
    return "io/cairn/db/sqlite";
  }

  @Override
  public String addToCountSql() {
    return "INSERT INTO status_counts (collection_id, status, n) VALUES (?, ?, ?)"
        + " ON CONFLICT (collection_id, status) DO UPDATE SET n = n + excluded.n";
  }
}
