package io.cairn.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * SQLite in WAL mode: readers never block the writer, and writers of all processes on one file take
 * turns through {@code BEGIN IMMEDIATE} with a busy timeout.
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
  public void begin(Session writer) throws SQLException {
    writer.statement("BEGIN IMMEDIATE").execute();
  }

  @Override
  public void commit(Session writer) throws SQLException {
    writer.statement("COMMIT").execute();
  }

  @Override
  public void rollback(Session writer) throws SQLException {
    // A fresh statement: the driver refuses to run a cached one again after it failed ("statement
    // is not executing"), and a rollback that fails would leave the write lock held.
    try (java.sql.Statement st = writer.connection.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
        throw e;
      }
    }
  }

  @Override
  public void limitBusyWait(Session writer, java.time.Duration wait) throws SQLException {
    try (java.sql.Statement st = writer.connection.createStatement()) {
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
  public boolean isBusy(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code;
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
