package io.cairn.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.cairn.internal.store.SqlDialect;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL under {@code READ COMMITTED}: writers of many processes run at once and serialize only
 * on what they touch. A write locks the keys it decides on ({@link #lockForUpdate}: advisory locks
 * for keys that may not exist yet, row locks for those that do), claims lock their candidate rows
 * with {@code FOR UPDATE SKIP LOCKED}, sequence numbers come from PostgreSQL sequences, and the
 * change cursor stops below every write still in flight ({@link #changeHorizon}). Lease time is the
 * server's clock, so workers on machines with skewed clocks agree on it.
 */
public final class PostgresDialect implements SqlDialect, AutoCloseable {
  /** 'CAIR': the first key of this store's two-key advisory locks. */
  static final int LOCK_SPACE = 0x43414952;

  private static final Logger log = LoggerFactory.getLogger(PostgresDialect.class);

  private static final int MIGRATION_LOCK = 0;
  // (LOCK_SPACE, 1) is the sequence allocation lock of cairn_next_seqs (V004).
  private static final String NEXT_SEQS = "SELECT cairn_next_seqs(?::regclass, ?, ?)";
  private static final String NOW = "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
  // Keys first, sorted, so two writers locking overlapping key sets always take them in one order
  // and never deadlock; the parent's shared lock keeps a bulk move or clear out meanwhile.
  private static final String LOCK_KEYS =
      "SELECT COUNT(pg_advisory_xact_lock((k >> 32)::INT, (k & 2147483647)::INT))"
          + " FROM (SELECT unnest(?::BIGINT[]) AS k ORDER BY 1) sorted";

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final int maxReaders;

  /**
   * @param dataSource where connections come from; bounded by its owner
   * @param owned closed with the store (the pool this store made), or null when the caller owns the
   *     data source
   */
  public PostgresDialect(DataSource dataSource, AutoCloseable owned) {
    if (dataSource == null) {
      throw new IllegalArgumentException("the postgresql data source must not be null");
    }
    this.dataSource = dataSource;
    this.owned = owned;
    // One connection writes; the rest read. A data source of unknown bound gets a modest share.
    int connections =
        dataSource instanceof HikariDataSource h ? h.getMaximumPoolSize() : DEFAULT_CONNECTIONS;
    this.maxReaders = Math.max(1, connections - 1);
  }

  /** What a data source whose bound is unknown is assumed to give. */
  static final int DEFAULT_CONNECTIONS = 10;

  @Override
  public int maxReaders() {
    return maxReaders;
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public Connection openWriter() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(true);
    return c;
  }

  @Override
  public void begin(Connection writer) throws SQLException {
    writer.setAutoCommit(false);
  }

  @Override
  public void commit(Connection writer) throws SQLException {
    writer.commit();
    writer.setAutoCommit(true);
  }

  @Override
  public void rollback(Connection writer) throws SQLException {
    if (!writer.getAutoCommit()) {
      writer.rollback();
      writer.setAutoCommit(true);
    }
  }

  /** A lock wait longer than {@code wait} fails with 55P03, which {@link #isRetryable} accepts. */
  @Override
  public void limitBusyWait(Connection writer, Duration wait) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("SET lock_timeout = " + Math.max(1, wait.toMillis()));
    }
  }

  @Override
  public Connection openReader() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(true);
    return c;
  }

  /**
   * Serialization failure (40001), deadlock (40P01) and a lock wait past {@link #limitBusyWait}
   * (55P03): the transaction lost a race and may run again.
   */
  @Override
  public boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || "55P03".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Connection exceptions (class 08), the server shutting down or starting (57P01-57P03), or a
   * connection the pool already closed after such a failure.
   */
  @Override
  public boolean isConnectionLoss(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null
            && (state.startsWith("08")
                || "25P03".equals(state)
                || "57P01".equals(state)
                || "57P02".equals(state)
                || "57P03".equals(state))) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long nextSeqs(Connection writer, String name, int n) throws SQLException {
    if (n < 1) {
      throw new IllegalArgumentException("allocate at least 1 sequence number, got " + n);
    }
    try (PreparedStatement ps = writer.prepareStatement(NEXT_SEQS)) {
      ps.setString(1, sequence(name));
      ps.setInt(2, n);
      // Only change numbers are read by a cursor that must not pass a write in flight.
      ps.setBoolean(3, "changes".equals(name));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String sequence(String name) {
    return switch (name) {
      case "changes" -> "cairn_seq_changes";
      case "map_entries" -> "cairn_seq_map_entries";
      default -> throw new IllegalArgumentException("no sequence named '" + name + "'");
    };
  }

  @Override
  public long changeHorizon(Connection reader) throws SQLException {
    try (Statement st = reader.createStatement();
        ResultSet rs = st.executeQuery("SELECT cairn_change_horizon()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Claims of held resources and refused renewals then never wait on, nor hold, a row lock. */
  @Override
  public boolean locksOnlyWhatItWrites() {
    return true;
  }

  @Override
  public void lockForUpdate(Connection writer, String table, long parentId, Collection<String> keys)
      throws SQLException {
    String parentColumn = parentColumn(table);
    int space = "resources".equals(table) ? 1 : 2;
    if (keys == null) {
      try (PreparedStatement ps = writer.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
        ps.setInt(1, LOCK_SPACE + space);
        ps.setInt(2, (int) parentId);
        ps.execute();
      }
      try (PreparedStatement ps =
          writer.prepareStatement(
              "SELECT 1 FROM " + table + " WHERE " + parentColumn + " = ? FOR UPDATE")) {
        ps.setLong(1, parentId);
        ps.execute();
      }
      return;
    }
    if (keys.isEmpty()) {
      return;
    }
    Long[] hashes = new Long[keys.size()];
    int i = 0;
    for (String key : keys) {
      hashes[i++] = keyHash(space, parentId, key);
    }
    Arrays.sort(hashes);
    // Three statements, one round trip (the driver sends them together, run in order): the
    // parent's shared lock, the key locks, then row locks on the rows that exist, so a claim
    // (which takes row locks only) skips them and this transaction waits for a claim holding one.
    try (PreparedStatement ps =
        writer.prepareStatement(
            "SELECT pg_advisory_xact_lock_shared(?, ?); "
                + LOCK_KEYS
                + "; SELECT 1 FROM "
                + table
                + " WHERE "
                + parentColumn
                + " = ? AND key = ANY(?) ORDER BY key FOR UPDATE")) {
      ps.setInt(1, LOCK_SPACE + space);
      ps.setInt(2, (int) parentId);
      ps.setArray(3, writer.createArrayOf("bigint", hashes));
      ps.setLong(4, parentId);
      ps.setArray(5, writer.createArrayOf("text", keys.toArray()));
      ps.execute();
    }
  }

  /**
   * The parent's shared lock (only bulk moves wait it out), then a try-lock on the hash of each key
   * that had no row, then {@code FOR UPDATE SKIP LOCKED} on the rows: what another transaction
   * holds is skipped, never waited for.
   */
  @Override
  public Set<String> tryLockForClaim(
      Connection writer, String table, long parentId, Collection<String> keys, Set<String> existing)
      throws SQLException {
    String parentColumn = parentColumn(table);
    int space = "resources".equals(table) ? 1 : 2;
    Set<String> skipped = new HashSet<>();
    try (PreparedStatement ps =
        writer.prepareStatement("SELECT pg_advisory_xact_lock_shared(?, ?)")) {
      ps.setInt(1, LOCK_SPACE + space);
      ps.setInt(2, (int) parentId);
      ps.execute();
    }
    List<String> absent = new ArrayList<>();
    for (String key : keys) {
      if (!existing.contains(key)) {
        absent.add(key);
      }
    }
    absent.sort(null);
    if (!absent.isEmpty()) {
      Long[] hashes = new Long[absent.size()];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = keyHash(space, parentId, absent.get(i));
      }
      try (PreparedStatement ps =
          writer.prepareStatement(
              "SELECT i FROM unnest(?::BIGINT[]) WITH ORDINALITY AS t(k, i)"
                  + " WHERE NOT pg_try_advisory_xact_lock((k >> 32)::INT, (k & 2147483647)::INT)")) {
        ps.setArray(1, writer.createArrayOf("bigint", hashes));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            skipped.add(absent.get(rs.getInt(1) - 1));
          }
        }
      }
    }
    List<String> rowsToLock = new ArrayList<>();
    for (String key : keys) {
      if (!skipped.contains(key)) {
        rowsToLock.add(key);
      }
    }
    if (rowsToLock.isEmpty()) {
      return skipped;
    }
    Set<String> got = new HashSet<>();
    try (PreparedStatement ps =
        writer.prepareStatement(
            "SELECT key FROM "
                + table
                + " WHERE "
                + parentColumn
                + " = ? AND key = ANY(?) FOR UPDATE SKIP LOCKED")) {
      ps.setLong(1, parentId);
      ps.setArray(2, writer.createArrayOf("text", rowsToLock.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          got.add(rs.getString(1));
        }
      }
    }
    // A row seen before and not returned now is held by another transaction (or was deleted):
    // either way this claim does not decide on it now. One not seen before may have been
    // inserted since, and be held now: look.
    List<String> unseen = new ArrayList<>();
    for (String key : rowsToLock) {
      if (!got.contains(key)) {
        if (existing.contains(key)) {
          skipped.add(key);
        } else {
          unseen.add(key);
        }
      }
    }
    if (!unseen.isEmpty()) {
      try (PreparedStatement ps =
          writer.prepareStatement(
              "SELECT key FROM " + table + " WHERE " + parentColumn + " = ? AND key = ANY(?)")) {
        ps.setLong(1, parentId);
        ps.setArray(2, writer.createArrayOf("text", unseen.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            skipped.add(rs.getString(1));
          }
        }
      }
    }
    return skipped;
  }

  private static String parentColumn(String table) {
    return switch (table) {
      case "resources" -> "collection_id";
      case "map_entries" -> "map_id";
      default -> throw new IllegalArgumentException("no lockable table '" + table + "'");
    };
  }

  /** 64 bits of FNV-1a over the key's parent and UTF-8 bytes, finished with a 64-bit mixer. */
  static long keyHash(int space, long parentId, String key) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ space) * 0x100000001b3L;
    for (int s = 0; s < 64; s += 8) {
      h = (h ^ ((parentId >>> s) & 0xff)) * 0x100000001b3L;
    }
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public long now(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(NOW)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public String claimCandidatesSql(String select) {
    return select + " FOR UPDATE SKIP LOCKED";
  }

  /** A session lock: held across the migrations' own transactions, released in endMigration. */
  @Override
  public void beginMigration(Connection writer) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + LOCK_SPACE + ", " + MIGRATION_LOCK + ")");
    }
  }

  @Override
  public void endMigration(Connection writer) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("SELECT pg_advisory_unlock(" + LOCK_SPACE + ", " + MIGRATION_LOCK + ")");
    }
  }

  @Override
  public String schemaDirectory() {
    return "io/cairn/db/postgresql";
  }

  /** The shard is the connection's backend: one writer process keeps to one shard. */
  @Override
  public String addToCountSql() {
    return "INSERT INTO status_count_shards (collection_id, status, shard, n)"
        + " VALUES (?, ?, pg_backend_pid() % 8, ?) ON CONFLICT (collection_id, status, shard)"
        + " DO UPDATE SET n = status_count_shards.n + excluded.n";
  }

  /**
   * Runs {@code ANALYZE} on a table each time the rows this process added to it since opening have
   * doubled (from {@value #FIRST_ANALYZE} on): a few times per bulk load, each a bounded sample
   * (about 30,000 rows whatever the table's size). A refusal (the background analyzer holds the
   * table past the lock timeout) is left to that analyzer.
   */
  @Override
  public void afterWrite(Connection writer, String table, int rows) {
    if (rows <= 0) {
      return;
    }
    long[] state = added.computeIfAbsent(table, t -> new long[] {0, FIRST_ANALYZE});
    state[0] += rows;
    if (state[0] < state[1]) {
      return;
    }
    state[1] = state[0] * 2;
    try (Statement st = writer.createStatement()) {
      st.execute("ANALYZE " + knownTable(table));
    } catch (SQLException e) {
      log.debug("ANALYZE {} refused; the background analyzer will do it", table, e);
    }
  }

  /** Rows added before the first {@code ANALYZE}: below this a plan's choice hardly matters. */
  static final long FIRST_ANALYZE = 1_000;

  // Per table: rows added by this process, and the count at which to analyze next. Touched only
  // under the store's write lock (afterWrite runs inside JdbcStateStore.write).
  private final java.util.Map<String, long[]> added = new java.util.HashMap<>();

  private static String knownTable(String table) {
    parentColumn(table); // refuses a table this dialect does not know, before it reaches SQL
    return table;
  }

  @Override
  public void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }
}
