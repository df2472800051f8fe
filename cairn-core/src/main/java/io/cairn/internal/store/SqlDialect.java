package io.cairn.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;

/**
 * What differs between the SQL databases {@link JdbcStateStore} runs on, written against public
 * JDBC types only, so a dialect can live in another module: how connections are opened and
 * configured, how a write transaction starts, ends and serializes with concurrent ones, how
 * sequence numbers are allocated, which errors mean "retry", and the store's clock.
 *
 * <p>Every other statement the store runs is shared SQL that every dialect must accept: {@code
 * INSERT ... ON CONFLICT (...) DO NOTHING} and {@code DO UPDATE SET col = excluded.col} (SQLite
 * 3.24+, PostgreSQL 9.5+), {@code IN} lists, {@code ORDER BY ... LIMIT ?}. The schema is the
 * dialect's own ({@link #schemaDirectory}), with the same tables, columns and unique keys.
 *
 * <p>The hooks taking a {@code writer} are called by one thread at a time, inside a write
 * transaction begun by {@link #begin} unless said otherwise.
 */
public interface SqlDialect {
  /** A short name for messages ("sqlite", "postgresql"). */
  String name();

  /**
   * Opens a connection that writes go through: the store keeps one and replaces it only after a
   * failed rollback. Auto-commit on; {@link #begin} and {@link #commit} delimit transactions.
   */
  Connection openWriter() throws SQLException;

  /**
   * Starts a write transaction on {@code writer} such that the rows it reads after {@link
   * #lockForUpdate} stay as read until it commits (SQLite: {@code BEGIN IMMEDIATE} takes the
   * database's write lock at once).
   */
  void begin(Connection writer) throws SQLException;

  /** Commits the transaction {@link #begin} started. */
  void commit(Connection writer) throws SQLException;

  /**
   * Rolls back the transaction {@link #begin} started; must not fail when none is active. If this
   * throws, the store closes the connection and opens a new one, which must end the transaction.
   */
  void rollback(Connection writer) throws SQLException;

  /**
   * Makes {@code writer} wait at most {@code wait} inside the database for another writer's lock
   * before failing with a {@linkplain #isRetryable retryable} error, which {@link JdbcStateStore}
   * then retries outside its own lock. Called outside any transaction. Dialects whose waits are
   * bounded otherwise may do nothing.
   */
  default void limitBusyWait(Connection writer, Duration wait) throws SQLException {}

  /**
   * How many reader connections the store may hold open at once (it keeps idle ones for reuse): at
   * most what the dialect's connection source can give beside the writer, or readers would wait for
   * connections that idle readers hold.
   */
  default int maxReaders() {
    return ReaderPool.DEFAULT_MAX_SESSIONS;
  }

  /** Opens a connection for reads, auto-commit on. */
  Connection openReader() throws SQLException;

  /**
   * Whether the read just made on {@code reader} saw a consistent database; when not, the store
   * closes the connection and runs the read again on a new one. Only a reader that reads without
   * the database's locks (a read-only SQLite client on a file no process has open) can say no.
   */
  default boolean readStillValid(Connection reader) {
    return true;
  }

  /**
   * Whether an error means the transaction lost a race and may be run again from the start: another
   * writer holds the lock (SQLite {@code SQLITE_BUSY}/{@code SQLITE_LOCKED}), a serialization
   * failure or a deadlock (PostgreSQL SQLSTATE {@code 40001}, {@code 40P01}). The store rolls back
   * and retries such a transaction, with backoff, for at most its busy wait.
   */
  boolean isRetryable(SQLException e);

  /**
   * Allocates {@code n} (at least 1) consecutive numbers of the sequence {@code name} ({@code
   * "changes"}: the number of each write of a resource row, and a new row's insertion order; {@code
   * "map_entries"}: insertion order of map entries) and returns the first. Numbers handed to one
   * transaction are never handed to another, committed or not, and a later allocation returns
   * larger numbers than an earlier committed one; gaps are allowed. This is the only place sequence
   * numbers are allocated.
   *
   * <p>The change cursor ({@link io.cairn.spi.ResourceStore#changesSince}) reads rows in {@code
   * "changes"} order and must never skip a committed change: on a database whose writers do not
   * serialize, a transaction that took its numbers early but commits after a later one would be
   * skipped by a reader already past it. Such a dialect must prevent that (for example allocate
   * {@code "changes"} under a row lock held to commit, which serializes resource writes, or make
   * readers stop below the oldest number still in flight).
   */
  long nextSeqs(Connection writer, String name, int n) throws SQLException;

  /**
   * Called in a write transaction before it reads the rows it will decide on, so that no concurrent
   * transaction changes them (or inserts the absent ones) before this one commits: the rows of
   * {@code table} ({@code "resources"}, whose parent column is {@code collection_id}, or {@code
   * "map_entries"}, parent {@code map_id}) with parent {@code parentId} and a key in {@code keys},
   * or every row of that parent when {@code keys} is null (a bulk move or clear). PostgreSQL would
   * take {@code pg_advisory_xact_lock}s on the keys or run {@code SELECT ... FOR UPDATE}; a
   * database whose {@link #begin} already serializes writers (SQLite) does nothing.
   */
  default void lockForUpdate(
      Connection writer, String table, long parentId, Collection<String> keys)
      throws SQLException {}

  /**
   * Called on the writer after a commit that added {@code rows} rows to {@code table} ({@code
   * "resources"}; for {@code "map_entries"}, whose writes are blind upserts, the rows it wrote),
   * outside any transaction. A server database whose planner works from sampled statistics
   * refreshes them here when a table has grown a lot since it last did: until its background
   * analyzer catches up (a minute or more), a table filled by one bulk enqueue looks empty to the
   * planner, which then scans a whole collection for every batch of keys. SQLite plans without
   * statistics and does nothing.
   */
  default void afterWrite(Connection writer, String table, int rows) {}

  /**
   * Whether {@code e} says the connection to the database was lost (a server restarted or
   * unreachable): the write is retried on a new connection, with capped exponential backoff, for up
   * to {@link JdbcStateStore#RECONNECT_WINDOW}. An embedded database has no connection to lose.
   */
  default boolean isConnectionLoss(SQLException e) {
    return false;
  }

  /**
   * Whether a write transaction reads the rows it touches without locks first and locks only those
   * some change of the batch would write. A decision that writes nothing (a claim of a resource
   * another process holds under a live lease, a refused renewal) is then taken on a committed
   * snapshot and waits for nobody, so a claim never queues behind, nor holds up, the lease renewal
   * of the resource's holder. Worth its extra read only where writers lock rows ({@link
   * #lockForUpdate}); a database whose {@link #begin} serializes writers says no.
   */
  default boolean locksOnlyWhatItWrites() {
    return false;
  }

  /**
   * As {@link #lockForUpdate} for keys a batch only claims, without waiting: returns the keys
   * another transaction holds (left unlocked; their claims are BUSY). {@code existing} are the keys
   * whose rows the transaction saw. A database that does not lock rows locks nothing and skips
   * nothing.
   */
  default java.util.Set<String> tryLockForClaim(
      Connection writer,
      String table,
      long parentId,
      Collection<String> keys,
      java.util.Set<String> existing)
      throws SQLException {
    lockForUpdate(writer, table, parentId, keys);
    return java.util.Set.of();
  }

  /**
   * The store's clock, in ms since the epoch: the time lease decisions are meant to be judged by,
   * the same for every process sharing the database. A server database reads its own clock ({@code
   * SELECT ...now()}); an embedded one, whose processes all run on one host, returns that host's
   * clock. May be called on any connection, inside a transaction or not.
   */
  long now(Connection connection) throws SQLException;

  /**
   * The statement that reads the candidates of a claim ({@link
   * io.cairn.spi.ResourceStore#claimNext}), given the plain one: {@code SELECT <columns> FROM
   * resources WHERE collection_id = ? AND status = ... [AND lease_until <= ?] AND work IS NOT NULL
   * ORDER BY seq LIMIT ?}. Run inside the claim's write transaction; the rows it returns are
   * decided and written without being read again, so they must stay as read until commit. SQLite
   * returns it as is ({@link #begin} serializes writers); PostgreSQL appends {@code FOR UPDATE SKIP
   * LOCKED}, so concurrent claimants lock disjoint rows instead of waiting for each other.
   */
  default String claimCandidatesSql(String select) {
    return select;
  }

  /**
   * The largest change number below which every change is final, judged now on {@code reader}: each
   * number up to it belongs to a committed write (visible to the reader's next statement) or to
   * none that will ever commit. The change cursor reads no further, so a write that took its number
   * early and commits late is not skipped. A database whose writers serialize (SQLite) returns
   * {@link Long#MAX_VALUE}: every committed number is final.
   */
  default long changeHorizon(Connection reader) throws SQLException {
    return Long.MAX_VALUE;
  }

  /**
   * Called on {@code writer}, outside any transaction, before the schema migrations are looked at,
   * and {@link #endMigration} after them (also when they fail): a server database takes a lock here
   * that makes processes opening a fresh database at once migrate it one after the other. SQLite's
   * {@code BEGIN IMMEDIATE} already does.
   */
  default void beginMigration(Connection writer) throws SQLException {}

  /** Releases what {@link #beginMigration} took. */
  default void endMigration(Connection writer) throws SQLException {}

  /** The classpath directory holding this dialect's {@code index.txt} and migration scripts. */
  String schemaDirectory();

  /** Adds {@code delta} to the count of (collection_id, status): 3 parameters in that order. */
  String addToCountSql();
}
