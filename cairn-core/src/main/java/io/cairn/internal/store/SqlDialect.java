package io.cairn.internal.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the SQL databases {@link JdbcStateStore} runs on: how connections are opened
 * and configured, how a write transaction starts, and which errors mean "busy, try again".
 */
public interface SqlDialect {
  /** A short name for messages ("sqlite", "postgresql"). */
  String name();

  /** Opens the single connection all writes go through. */
  Connection openWriter() throws SQLException;

  /**
   * Starts a write transaction on the writer, taking the write lock at once (SQLite {@code BEGIN
   * IMMEDIATE}) so that reads inside it are consistent with its writes.
   */
  void begin(Session writer) throws SQLException;

  /** Commits the writer's transaction. */
  void commit(Session writer) throws SQLException;

  /** Rolls the writer's transaction back. */
  void rollback(Session writer) throws SQLException;

  /**
   * Makes the writer wait at most {@code wait} inside the database for another process's write lock
   * before failing with a busy error, which {@link JdbcStateStore} then retries outside its own
   * lock. Dialects whose waits are bounded otherwise may do nothing.
   */
  default void limitBusyWait(Session writer, java.time.Duration wait) throws SQLException {}

  /** Opens a connection for reads, auto-commit on. */
  Connection openReader() throws SQLException;

  /** Whether an error means another writer holds the lock, so the transaction may be retried. */
  boolean isBusy(SQLException e);

  /** The classpath directory holding this dialect's {@code index.txt} and migration scripts. */
  String schemaDirectory();

  /** Adds {@code delta} to the count of (collection_id, status): 3 parameters in that order. */
  String addToCountSql();
}
