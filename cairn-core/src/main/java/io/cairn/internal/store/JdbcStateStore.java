package io.cairn.internal.store;

import io.cairn.CairnException;
import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.store.Rows.Row;
import io.cairn.spi.ChangePage;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateChanges;
import io.cairn.spi.StateStore;
import io.cairn.spi.StoredResource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store over SQL, shared by every SQL database through a {@link SqlDialect}.
 *
 * <p>Writes go through one writer connection guarded by {@link #writeLock}; each {@link #apply} is
 * one transaction that locks ({@link SqlDialect#lockForUpdate}) and reads the rows the batch
 * touches, has {@link StateChanges#decide} decide and check every change, writes the final rows
 * (new ones numbered by {@link SqlDialect#nextSeqs}), and at the end adds the per-status count
 * deltas of the whole batch to {@code status_counts}. So counts never drift from rows: both change
 * in the same transaction. A transaction that finds the database busy (another process writing), or
 * fails with any error the dialect calls {@linkplain SqlDialect#isRetryable retryable}, is rolled
 * back and retried with backoff for at most the store's busy wait (5 s by default); past that the
 * caller gets a {@link CairnException} saying the database stayed locked, never a raw "database is
 * locked". Any throwable inside a write transaction rolls it back before it propagates.
 *
 * <p>Reads borrow a reader session from a pool; with WAL they never wait for the writer.
 */
public final class JdbcStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcStateStore.class);

  /**
   * How long a write keeps retrying while another process holds the database's write lock, when the
   * caller does not say: well below the default 30 s lease (see {@link #busyWaitFor}).
   */
  public static final Duration DEFAULT_BUSY_WAIT = Duration.ofSeconds(5);

  /**
   * How long a write keeps reconnecting to a database it lost the connection to (a server restart
   * takes seconds): past it the caller gets the failure, and a worker backs off and tries again.
   */
  public static final Duration RECONNECT_WINDOW = Duration.ofSeconds(60);

  private static final long RECONNECT_BACKOFF_CAP_MS = 2_000;

  /** How long one attempt waits inside the database for the lock before this class retries. */
  static final Duration BUSY_ATTEMPT = Duration.ofMillis(100);

  private static final Status[] STATUSES = Rows.STATUSES;
  // status_counts keeps, beside one row per status, the number of resources attempted at least
  // once under this code (in the deltas arrays: the slot after the last status).
  static final int ATTEMPTED_CODE = 99;
  private static final int ATTEMPTED = STATUSES.length;

  private static final String SELECT_COLLECTION =
      "SELECT id, version FROM collections WHERE name = ?";
  private static final String INSERT_COLLECTION =
      "INSERT INTO collections (name, version) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";

  final SqlDialect dialect;
  private final ReentrantLock writeLock = new ReentrantLock();
  Session writer; // guarded by writeLock; replaced only if a rollback fails
  private final Duration busyWait;
  final ReaderPool readers;
  private final JdbcMaps maps;
  private final JdbcQueue queue;
  private final Map<String, Long> collectionIds = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A store whose writes wait at most {@link #DEFAULT_BUSY_WAIT} for a busy database. */
  public JdbcStateStore(SqlDialect dialect) {
    this(dialect, DEFAULT_BUSY_WAIT);
  }

  /**
   * @param busyWait how long a write retries while another process holds the database's write lock
   *     before it fails with a {@link CairnException} saying so; 100 ms to 10 min
   */
  public JdbcStateStore(SqlDialect dialect, Duration busyWait) {
    this(dialect, busyWait, true);
  }

  /**
   * A store on a SQLite database that only reads: it opens no writer connection, runs no migration,
   * starts no thread and creates no file (see {@link ReadOnlySqliteDialect}); every write throws
   * {@link IllegalStateException}. The database must exist and be at the schema this code writes.
   *
   * @param where the home as users name it, for messages
   * @throws CairnException if the database is empty, or was written by a newer or an older Cairn
   */
  public static JdbcStateStore openSqliteReadOnly(Path file, String where) {
    JdbcStateStore store =
        new JdbcStateStore(new ReadOnlySqliteDialect(file), DEFAULT_BUSY_WAIT, false);
    try {
      store.readers.read(
          s -> {
            SchemaMigrator.checkReadable(s.connection, store.dialect, where);
            return null;
          });
      return store;
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  private JdbcStateStore(SqlDialect dialect, Duration busyWait, boolean writable) {
    if (busyWait == null
        || busyWait.compareTo(BUSY_ATTEMPT) < 0
        || busyWait.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "busy wait must be between 100 ms and 10 min, got " + busyWait);
    }
    this.dialect = dialect;
    this.busyWait = busyWait;
    this.readers = new ReaderPool(dialect, dialect.maxReaders());
    this.maps = new JdbcMaps(this);
    this.queue = new JdbcQueue(this);
    if (!writable) {
      return;
    }
    Session opened = null;
    try {
      opened = new Session(dialect.openWriter());
      // Migration waits as long as the connection's own busy timeout allows (opening is rare);
      // after it, each write attempt waits briefly inside the database and write() retries.
      SchemaMigrator.migrate(opened, dialect);
      dialect.limitBusyWait(opened.connection, BUSY_ATTEMPT);
      this.writer = opened;
    } catch (SQLException e) {
      closeQuietly(opened);
      throw new CairnException(
          "cannot open " + dialect.name() + " state store: " + e.getMessage(), e);
    } catch (Throwable t) {
      closeQuietly(opened);
      throw t;
    }
  }

  private void closeQuietly(Session opened) {
    if (opened != null) {
      opened.close();
    }
    readers.close();
    closeDialect();
  }

  /** A dialect holding resources of its own (a server database's connection pool) closes last. */
  private void closeDialect() {
    if (dialect instanceof AutoCloseable owned) {
      try {
        owned.close();
      } catch (Exception e) {
        log.warn("closing the {} connections failed", dialect.name(), e);
      }
    }
  }

  /**
   * The busy wait for a store used with leases of {@code lease}: a sixth of it (half a renewal
   * period, so a renewal that gave up still has two more chances before the lease ends), at least 1
   * s (shorter waits would fail writes on ordinary contention) and at most {@link
   * #DEFAULT_BUSY_WAIT}.
   */
  public static Duration busyWaitFor(Duration lease) {
    Duration sixth = lease.dividedBy(6);
    if (sixth.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return sixth.compareTo(DEFAULT_BUSY_WAIT) > 0 ? DEFAULT_BUSY_WAIT : sixth;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public List<ChangeResult> apply(List<? extends StateChange> changes) {
    return write(() -> applyOnce(changes));
  }

  /**
   * Read, decide, write: the current rows of every resource the batch touches are read with a few
   * IN queries; every change is decided in memory against the batch's own view (so later changes
   * see earlier ones); then only the final state of each touched resource is written, many rows per
   * statement, and the count deltas from first to final state are added. Statements per batch, not
   * per change, are what make group commit fast on SQLite.
   */
  private List<ChangeResult> applyOnce(List<? extends StateChange> changes) throws SQLException {
    Map<String, Long> newIds = new HashMap<>();
    return applyRead(changes, readCurrent(changes, newIds), newIds);
  }

  /**
   * Decides {@code changes} against {@code original} (the locked current rows of every resource
   * they touch, per collection), writes the final states and the count deltas, and commits.
   *
   * <p>Every written row gets the next number of the {@code changes} sequence, from one allocation
   * for the batch; a new row's insertion order ({@code seq}) is the number of its first write. The
   * results carry the numbers their records were written with.
   */
  List<ChangeResult> applyRead(
      List<? extends StateChange> changes,
      Map<String, Map<String, Row>> original,
      Map<String, Long> newIds)
      throws SQLException {
    StateChanges.Decided decided =
        StateChanges.decide(
            changes,
            (collection, key) -> {
              Row row = original.get(collection).get(key);
              return row == null ? null : row.record();
            });
    Map<String, Map<String, Optional<StoredResource>>> view = decided.finalStates();
    int written = 0;
    for (Map<String, Optional<StoredResource>> states : view.values()) {
      for (Optional<StoredResource> next : states.values()) {
        written += next.isPresent() ? 1 : 0;
      }
    }
    long nextSeq = written == 0 ? 0 : dialect.nextSeqs(writer.connection, "changes", written);
    Map<String, Map<String, Long>> numbers = new HashMap<>();
    Map<Long, long[]> deltas = new HashMap<>();
    int inserted = 0;
    for (Map.Entry<String, Map<String, Optional<StoredResource>>> e : view.entrySet()) {
      long cid = collectionIdForWrite(e.getKey(), "", newIds);
      Map<String, Row> before = original.get(e.getKey());
      Map<String, Long> mine = numbers.computeIfAbsent(e.getKey(), k -> new HashMap<>());
      List<Row> upserts = new ArrayList<>();
      List<StoredResource> narrow = new ArrayList<>();
      List<String> deletes = new ArrayList<>();
      long[] d = deltas.computeIfAbsent(cid, k -> new long[STATUSES.length + 1]);
      for (Map.Entry<String, Optional<StoredResource>> k : e.getValue().entrySet()) {
        Row was = before.get(k.getKey());
        if (was != null) {
          d[was.record().status().ordinal()]--;
          d[ATTEMPTED] -= was.record().attempts() > 0 ? 1 : 0;
        }
        if (k.getValue().isPresent()) {
          long change = nextSeq++;
          StoredResource next = k.getValue().get().withChangeSeq(change);
          if (was != null && Rows.onlyLifecycleChanged(was.record(), next)) {
            narrow.add(next);
          } else {
            upserts.add(new Row(was != null ? was.seq() : change, next));
            inserted += was == null ? 1 : 0;
          }
          mine.put(k.getKey(), change);
          d[next.status().ordinal()]++;
          d[ATTEMPTED] += next.attempts() > 0 ? 1 : 0;
        } else if (was != null) {
          deletes.add(k.getKey());
        }
      }
      Rows.upsertAll(writer, cid, upserts);
      Rows.updateLifecycle(writer, cid, narrow);
      Rows.deleteAll(writer, cid, deletes);
    }
    addCounts(deltas);
    dialect.commit(writer.connection);
    collectionIds.putAll(newIds);
    dialect.afterWrite(writer.connection, "resources", inserted);
    return written == 0 ? decided.results() : numbered(decided.results(), numbers);
  }

  /** The results with each written record carrying the number its resource was written with. */
  private static List<ChangeResult> numbered(
      List<ChangeResult> results, Map<String, Map<String, Long>> numbers) {
    List<ChangeResult> out = new ArrayList<>(results.size());
    for (ChangeResult r : results) {
      StoredResource rec = r.record();
      Long change =
          r.applied() && rec != null
              ? numbers.getOrDefault(rec.collection(), Map.of()).get(rec.key())
              : null;
      out.add(change == null ? r : new ChangeResult(r.outcome(), rec.withChangeSeq(change), null));
    }
    return out;
  }

  /** The current rows of every resource a batch touches. */
  private Map<String, Map<String, Row>> readCurrent(
      List<? extends StateChange> changes, Map<String, Long> newIds) throws SQLException {
    Map<String, Set<String>> keys = new HashMap<>();
    for (StateChange change : changes) {
      keys.computeIfAbsent(change.collection(), k -> new LinkedHashSet<>()).add(change.key());
    }
    Map<String, Map<String, Row>> current = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
      long cid = collectionIdForWrite(e.getKey(), "", newIds);
      if (dialect.locksOnlyWhatItWrites() && mayWriteNothing(changes)) {
        current.put(e.getKey(), lockWritten(changes, e.getKey(), cid, e.getValue()));
        continue;
      }
      dialect.lockForUpdate(writer.connection, "resources", cid, e.getValue());
      current.put(e.getKey(), Rows.selectMany(writer, cid, e.getKey(), e.getValue()));
    }
    return current;
  }

  /**
   * Whether the batch holds a change that often writes nothing (a claim or enqueue meeting a live
   * lease): only then is the unlocked read worth its round trip; outcomes and renewals of the
   * batch's own leases nearly always write.
   */
  private static boolean mayWriteNothing(List<? extends StateChange> changes) {
    for (StateChange c : changes) {
      if (c instanceof Changes.Claim || c instanceof Changes.Enqueue) {
        return true;
      }
    }
    return false;
  }

  /**
   * The rows of {@code keys}, locked and read again where the batch would write them on their
   * committed state, kept as read where it would not: deciding a key's changes again on the same
   * row gives the same no-write results, true of the moment that row was read (see {@link
   * SqlDialect#locksOnlyWhatItWrites}).
   */
  private Map<String, Row> lockWritten(
      List<? extends StateChange> changes, String collection, long cid, Set<String> keys)
      throws SQLException {
    Map<String, Row> seen = Rows.selectMany(writer, cid, collection, keys);
    List<StateChange> mine = new ArrayList<>();
    for (StateChange change : changes) {
      if (change.collection().equals(collection)) {
        mine.add(change);
      }
    }
    Set<String> written =
        StateChanges.decide(
                mine,
                (c, key) -> {
                  Row row = seen.get(key);
                  return row == null ? null : row.record();
                })
            .finalStates()
            .getOrDefault(collection, Map.of())
            .keySet();
    if (written.isEmpty()) {
      return seen;
    }
    // Keys only claimed are locked without waiting: one another transaction holds is reported
    // BUSY (its claimant waits and looks again), so a claim never queues behind another
    // process's write, nor makes this batch's renewals queue behind it.
    Set<String> claimOnly = new LinkedHashSet<>(written);
    for (StateChange change : mine) {
      if (!(change instanceof Changes.Claim)) {
        claimOnly.remove(change.key());
      }
    }
    Set<String> blocking = new LinkedHashSet<>(written);
    blocking.removeAll(claimOnly);
    dialect.lockForUpdate(writer.connection, "resources", cid, blocking);
    Set<String> skipped =
        claimOnly.isEmpty()
            ? Set.of()
            : dialect.tryLockForClaim(
                writer.connection, "resources", cid, claimOnly, seen.keySet());
    Set<String> locked = new LinkedHashSet<>(written);
    locked.removeAll(skipped);
    Map<String, Row> rows = new HashMap<>(seen);
    rows.keySet().removeAll(locked);
    rows.putAll(Rows.selectMany(writer, cid, collection, locked));
    for (String key : skipped) {
      rows.put(key, heldByAnotherWriter(collection, key, seen.get(key)));
    }
    return rows;
  }

  /** The owner a row locked by another transaction is shown with: nobody's real id. */
  static final String ANOTHER_WRITER = "another-writer";

  /**
   * What a claim decides on for a row another transaction is writing: RUNNING under a live lease of
   * nobody in particular, so it is BUSY and nothing is written for it.
   */
  private static Row heldByAnotherWriter(String collection, String key, Row seen) {
    StoredResource r = seen == null ? null : seen.record();
    return new Row(
        seen == null ? 0 : seen.seq(),
        new StoredResource(
            collection,
            key,
            Status.RUNNING,
            r == null ? 0 : r.attempts(),
            r == null ? null : r.argsJson(),
            null,
            null,
            null,
            0,
            0,
            0,
            ANOTHER_WRITER,
            Long.MAX_VALUE,
            null,
            r == null ? 0 : r.changeSeq()));
  }

  private void addCounts(Map<Long, long[]> deltas) throws SQLException {
    PreparedStatement ps = null;
    for (Map.Entry<Long, long[]> e : deltas.entrySet()) {
      long[] d = e.getValue();
      for (int s = 1; s < d.length; s++) { // UNAVAILABLE (0) is never counted
        if (d[s] != 0) {
          if (ps == null) {
            ps = writer.statement(dialect.addToCountSql());
          }
          ps.setLong(1, e.getKey());
          ps.setInt(2, s == ATTEMPTED ? ATTEMPTED_CODE : s);
          ps.setLong(3, d[s]);
          ps.executeUpdate();
        }
      }
    }
  }

  private long collectionIdForWrite(String collection, String version, Map<String, Long> newIds)
      throws SQLException {
    Long id = collectionIds.get(collection);
    if (id == null) {
      id = newIds.get(collection);
    }
    if (id == null) {
      id = lookupCollection(writer, collection);
      if (id == null) {
        // Idempotent: a concurrent first writer (another process) may insert the same name
        // between the lookup and this insert; then its row is the one found below.
        PreparedStatement ps = writer.statement(INSERT_COLLECTION);
        ps.setString(1, collection);
        ps.setString(2, version);
        ps.executeUpdate();
        id = lookupCollection(writer, collection);
        if (id == null) {
          throw new IllegalStateException("collection '" + collection + "' vanished on insert");
        }
      }
      newIds.put(collection, id);
    }
    return id;
  }

  @Override
  public void registerCollection(String collection, String version) {
    write(
        () -> {
          Map<String, Long> newIds = new HashMap<>();
          long id = collectionIdForWrite(collection, version, newIds);
          try (PreparedStatement ps =
              writer.connection.prepareStatement(
                  "UPDATE collections SET version = ? WHERE id = ?")) {
            ps.setString(1, version);
            ps.setLong(2, id);
            ps.executeUpdate();
          }
          dialect.commit(writer.connection);
          collectionIds.putAll(newIds);
          return null;
        });
  }

  @Override
  public long moveAll(String collection, Status from, Status to, long now) {
    StateChanges.checkMoveAll(from, to);
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty()) {
      return 0;
    }
    return write(
        () -> {
          dialect.lockForUpdate(writer.connection, "resources", cid.get(), null);
          long n;
          // Every target drops the attempts (a delete or "attempts = 0"), so every moved row that
          // had been attempted leaves the attempted count, whatever the target.
          long attempted;
          try (PreparedStatement ps =
              writer.connection.prepareStatement(
                  "SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0)"
                      + " FROM resources WHERE collection_id = ? AND status = ?")) {
            ps.setLong(1, cid.get());
            ps.setInt(2, from.ordinal());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              n = rs.getLong(1);
              attempted = rs.getLong(2);
            }
          }
          if (n == 0) {
            dialect.commit(writer.connection);
            return 0L;
          }
          if (to == Status.UNAVAILABLE) {
            try (PreparedStatement ps =
                writer.connection.prepareStatement(
                    "DELETE FROM resources WHERE collection_id = ? AND status = ?")) {
              ps.setLong(1, cid.get());
              ps.setInt(2, from.ordinal());
              n = ps.executeUpdate();
            }
          } else {
            n = moveNumbered(cid.get(), from, to, now, n);
          }
          long[] d = new long[STATUSES.length + 1];
          d[from.ordinal()] -= n;
          d[to.ordinal()] += n;
          d[ATTEMPTED] -= attempted;
          addCounts(Map.of(cid.get(), d));
          dialect.commit(writer.connection);
          return n;
        });
  }

  /**
   * Moves the {@code n} rows of a collection in {@code from} (all locked by this transaction) to
   * {@code to}, numbering their writes in insertion order from one allocation of the {@code
   * changes} sequence: {@code ROW_NUMBER()} over the moved rows, in one statement.
   */
  private long moveNumbered(long cid, Status from, Status to, long now, long n)
      throws SQLException {
    if (n > Integer.MAX_VALUE) {
      throw new IllegalStateException("cannot number " + n + " moves in one allocation");
    }
    long first = dialect.nextSeqs(writer.connection, "changes", (int) n);
    try (PreparedStatement ps =
        writer.connection.prepareStatement(
            "UPDATE resources SET status = ?, attempts = 0, queued_at = ?, owner = NULL,"
                + " lease_until = 0, change_seq = ? + moved.rn"
                + " FROM (SELECT key AS moved_key, ROW_NUMBER() OVER (ORDER BY seq) - 1 AS rn"
                + " FROM resources WHERE collection_id = ? AND status = ?) AS moved"
                + " WHERE resources.collection_id = ? AND resources.key = moved.moved_key")) {
      ps.setInt(1, to.ordinal());
      ps.setLong(2, now);
      ps.setLong(3, first);
      ps.setLong(4, cid);
      ps.setInt(5, from.ordinal());
      ps.setLong(6, cid);
      return ps.executeUpdate();
    }
  }

  interface Tx<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code tx} in a write transaction (begun here; tx commits), retrying while another process
   * holds the database's write lock.
   *
   * <p>Whatever {@code tx} throws, an {@code Error} included, the transaction is rolled back before
   * the throwable propagates, so the database's write lock (SQLite {@code BEGIN IMMEDIATE}) is
   * never left held. Between busy retries the in-process {@link #writeLock} is released, so no
   * thread of this process waits behind a sleeping one; the retries stop after {@link #busyWait}.
   */
  <T> T write(Tx<T> tx) {
    long start = System.nanoTime();
    long deadline = start + busyWait.toNanos();
    long backoff = 1;
    long reconnectBackoff = 50;
    while (true) {
      SQLException busy;
      writeLock.lock();
      try {
        checkOpen();
        if (writer == null) {
          throw new IllegalStateException(
              "this "
                  + dialect.name()
                  + " state store was opened read-only: open the home with"
                  + " Cairn.open to write");
        }
        try {
          dialect.begin(writer.connection);
          return tx.run();
        } catch (SQLException e) {
          if ((dialect.isConnectionLoss(e) || writerClosed())
              && System.nanoTime() - start < RECONNECT_WINDOW.toNanos()) {
            // Nothing of a transaction whose connection broke before its commit returned is kept
            // but what committed; every change is decided again on what is stored, so running it
            // again is safe (a completion fenced by owner and attempt is refused, not doubled).
            reopenWriter(e);
            writeLock.unlock();
            try {
              log.warn(
                  "lost the connection to the {} store ({}); retrying in {} ms",
                  dialect.name(),
                  e.getMessage(),
                  reconnectBackoff);
              sleep(reconnectBackoff);
            } finally {
              writeLock.lock();
            }
            reconnectBackoff = Math.min(reconnectBackoff * 2, RECONNECT_BACKOFF_CAP_MS);
            deadline = System.nanoTime() + busyWait.toNanos();
            continue;
          }
          rollback(e);
          if (!dialect.isRetryable(e)) {
            throw new CairnException(
                dialect.name() + " state store write failed: " + e.getMessage(), e);
          }
          busy = e;
        } catch (Throwable t) {
          rollback(t);
          throw t;
        }
      } finally {
        writeLock.unlock();
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw new CairnException(
            "the "
                + dialect.name()
                + " database stayed locked by another process for "
                + seconds(now - start)
                + " s (the bound is "
                + seconds(busyWait.toNanos())
                + " s); nothing was written: retry, or stop the process that holds it",
            busy);
      }
      log.debug("database busy; retrying in {} ms", backoff);
      sleep(Math.min(backoff, Math.max(1, (deadline - now) / 1_000_000)));
      backoff = Math.min(backoff * 2, 50);
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /**
   * Rolls the writer's transaction back after {@code cause}. If the rollback itself fails, the
   * writer connection is closed and opened anew: closing a connection ends its transaction and
   * releases the database's write lock, which must never outlive a failed write.
   */
  private void rollback(Throwable cause) {
    try {
      dialect.rollback(writer.connection);
      return;
    } catch (Throwable e) {
      cause.addSuppressed(e);
      log.warn("rollback failed; reopening the writer connection to release the write lock", e);
    }
    writer.close();
    try {
      writer = new Session(dialect.openWriter());
      dialect.limitBusyWait(writer.connection, BUSY_ATTEMPT);
    } catch (SQLException e) {
      cause.addSuppressed(e);
      log.warn("cannot reopen the writer connection; later writes will fail", e);
    }
  }

  /**
   * Whether the writer's connection was closed under it: a pool evicts a connection that failed
   * with a connection error, and its proxy then fails with a plain "connection is closed".
   */
  private boolean writerClosed() {
    try {
      return writer.connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Replaces a writer whose connection broke; if the server is still away, the next try says. */
  private void reopenWriter(Throwable cause) {
    writer.close();
    try {
      writer = new Session(dialect.openWriter());
      dialect.limitBusyWait(writer.connection, BUSY_ATTEMPT);
    } catch (SQLException e) {
      cause.addSuppressed(e);
      log.debug("cannot reopen the writer connection yet", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException("interrupted while the database was busy", e);
    }
  }

  // ---------------------------------------------------------------- reads

  Optional<Long> collectionId(String collection) {
    Long id = collectionIds.get(collection);
    if (id != null) {
      return Optional.of(id);
    }
    Long found = readers.read(s -> lookupCollection(s, collection));
    if (found != null) {
      collectionIds.put(collection, found);
    }
    return Optional.ofNullable(found);
  }

  private static Long lookupCollection(Session s, String collection) throws SQLException {
    PreparedStatement ps = s.statement(SELECT_COLLECTION);
    ps.setString(1, collection);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  @Override
  public Optional<StoredResource> get(String collection, String key) {
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty()) {
      return Optional.empty();
    }
    Row row = readers.read(s -> Rows.selectOne(s, cid.get(), collection, key));
    return row == null ? Optional.empty() : Optional.of(row.record());
  }

  @Override
  public Map<String, StoredResource> getAll(String collection, Collection<String> keys) {
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty() || keys.isEmpty()) {
      return Map.of();
    }
    return readers.read(
        s -> {
          Map<String, StoredResource> found = new HashMap<>();
          Rows.selectMany(s, cid.get(), collection, keys)
              .forEach((key, row) -> found.put(key, row.record()));
          return found;
        });
  }

  @Override
  public Optional<String> collectionVersion(String collection) {
    return readers.read(
        s -> {
          PreparedStatement ps = s.statement(SELECT_COLLECTION);
          ps.setString(1, collection);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(2)) : Optional.<String>empty();
          }
        });
  }

  @Override
  public List<String> collections() {
    return readers.read(
        s -> {
          List<String> names = new ArrayList<>();
          try (ResultSet rs =
              s.statement("SELECT name FROM collections ORDER BY name").executeQuery()) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          return names;
        });
  }

  /** Every collection's counts in one read (the overview asks for them on every request). */
  @Override
  public Map<String, Stats> stats() {
    return readers.read(
        s -> {
          Map<String, Map<Status, Long>> counts = new java.util.LinkedHashMap<>();
          Map<String, Long> attempted = new HashMap<>();
          try (ResultSet rs =
              s.statement(
                      "SELECT c.name, sc.status, sc.n FROM collections c LEFT JOIN status_counts sc"
                          + " ON sc.collection_id = c.id ORDER BY c.name")
                  .executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              Map<Status, Long> m = counts.computeIfAbsent(name, k -> new EnumMap<>(Status.class));
              int code = rs.getInt(2);
              if (rs.wasNull()) {
                continue; // a collection without resources
              }
              if (code == ATTEMPTED_CODE) {
                attempted.put(name, rs.getLong(3));
              } else {
                m.put(STATUSES[code], rs.getLong(3));
              }
            }
          }
          Map<String, Stats> all = new java.util.LinkedHashMap<>();
          counts.forEach(
              (name, m) -> all.put(name, new Stats(m, attempted.getOrDefault(name, 0L))));
          return all;
        });
  }

  @Override
  public Stats stats(String collection) {
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty()) {
      return Stats.empty();
    }
    return readers.read(
        s -> {
          PreparedStatement ps =
              s.statement("SELECT status, n FROM status_counts WHERE collection_id = ?");
          ps.setLong(1, cid.get());
          Map<Status, Long> counts = new EnumMap<>(Status.class);
          long attempted = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (rs.getInt(1) == ATTEMPTED_CODE) {
                attempted = rs.getLong(2);
              } else {
                counts.put(STATUSES[rs.getInt(1)], rs.getLong(2));
              }
            }
          }
          return new Stats(counts, attempted);
        });
  }

  @Override
  public Page<String> keys(String collection, Set<Status> statuses, String cursor, int limit) {
    StateStore.checkLimit(limit);
    long after = Rows.parseCursor(cursor);
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty() || statuses.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    // One indexed range per status, merged by seq: O(limit) per page, never a sort of them all.
    return readers.read(
        s -> {
          java.util.TreeMap<Long, String> merged = new java.util.TreeMap<>();
          PreparedStatement ps =
              s.statement(
                  "SELECT seq, key FROM resources WHERE collection_id = ? AND status = ?"
                      + " AND seq > ? ORDER BY seq LIMIT ?");
          for (Status status : statuses) {
            ps.setLong(1, cid.get());
            ps.setInt(2, status.ordinal());
            ps.setLong(3, after);
            ps.setInt(4, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                merged.put(rs.getLong(1), rs.getString(2));
              }
            }
          }
          List<String> keys = new ArrayList<>(Math.min(limit, merged.size()));
          long last = after;
          for (Map.Entry<Long, String> e : merged.entrySet()) {
            if (keys.size() == limit) {
              return new Page<>(keys, Long.toString(last));
            }
            keys.add(e.getValue());
            last = e.getKey();
          }
          return new Page<>(keys, null);
        });
  }

  @Override
  public Page<String> keysByPrefix(
      String collection, Set<Status> statuses, String prefix, String cursor, int limit) {
    StateStore.checkLimit(limit);
    PrefixRange range = PrefixRange.of(prefix, cursor);
    Optional<Long> cid = collectionId(collection);
    if (cid.isEmpty() || statuses.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    return JdbcPrefixKeys.page(readers, dialect.name(), cid.get(), statuses, range, limit);
  }

  // ---------------------------------------------------------------- queue and change cursor

  @Override
  public List<StoredResource> claimNext(
      Set<String> collections, String owner, int n, long leaseUntil) {
    return queue.claimNext(collections, owner, n, leaseUntil);
  }

  @Override
  public ChangePage changesSince(long cursor, int limit) {
    return queue.changesSince(cursor, limit);
  }

  @Override
  public long changeCursor() {
    return queue.changeCursor();
  }

  @Override
  public long now() {
    return queue.now();
  }

  // ---------------------------------------------------------------- durable maps

  @Override
  public List<MapResult> applyMap(List<? extends MapChange> changes) {
    return maps.apply(changes);
  }

  @Override
  public void writeMap(String map, List<MapWrite> writes) {
    maps.write(map, writes);
  }

  @Override
  public Optional<String> mapGet(String map, String key) {
    return maps.get(map, key);
  }

  @Override
  public Map<String, String> mapGetAll(String map, Collection<String> keys) {
    return maps.getAll(map, keys);
  }

  @Override
  public Page<MapEntry> mapEntries(String map, String cursor, int limit) {
    return maps.entries(map, cursor, limit);
  }

  @Override
  public long mapSize(String map) {
    return maps.size(map);
  }

  @Override
  public long mapClear(String map) {
    return maps.clear(map);
  }

  @Override
  public List<String> maps() {
    return maps.names();
  }

  // ---------------------------------------------------------------- catalog

  private final JdbcCatalogStore catalog = new JdbcCatalogStore(this);

  @Override
  public io.cairn.spi.CatalogStore catalogStore() {
    return catalog;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("state store is closed");
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (writer != null) {
        writer.close();
      }
    } finally {
      writeLock.unlock();
    }
    readers.close();
    closeDialect();
  }
}
