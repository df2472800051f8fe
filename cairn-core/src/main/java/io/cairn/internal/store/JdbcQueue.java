package io.cairn.internal.store;

import io.cairn.Status;
import io.cairn.internal.store.Rows.Row;
import io.cairn.spi.ChangePage;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChanges;
import io.cairn.spi.StoredResource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The durable queue and the change cursor of a {@link JdbcStateStore}.
 *
 * <p>A claim is one write transaction: read the head of the queue of each collection (QUEUED rows
 * carrying work, through the partial index {@code resources_queue}, in insertion order), then, if
 * that gave fewer than asked, the RUNNING rows carrying work whose lease expired by the store's
 * clock; merge them by insertion order; and apply a {@link StateChanges.ClaimNext} to each through
 * the store's shared write path (decide, check, number, write, count). The candidate selects go
 * through {@link SqlDialect#claimCandidatesSql}, so a server database locks the rows it will claim
 * and skips the ones another claimant holds; on SQLite the write lock taken by {@code BEGIN
 * IMMEDIATE} already serializes claimants.
 */
final class JdbcQueue {
  private static final String QUEUED_SQL =
      "SELECT "
          + Rows.columns("")
          + " FROM resources WHERE collection_id = ? AND status = "
          + Status.QUEUED.ordinal()
          + " AND work IS NOT NULL ORDER BY seq LIMIT ?";
  private static final String EXPIRED_SQL =
      "SELECT "
          + Rows.columns("")
          + " FROM resources WHERE collection_id = ? AND status = "
          + Status.RUNNING.ordinal()
          + " AND lease_until <= ? AND work IS NOT NULL ORDER BY seq LIMIT ?";
  private static final String CHANGES_SQL =
      "SELECT "
          + Rows.columns("r.")
          + ", c.name FROM resources r JOIN collections c ON c.id = r.collection_id"
          + " WHERE r.change_seq > ? ORDER BY r.change_seq LIMIT ?";
  // Bounded by the dialect's change horizon: numbers above it may still be joined by a write that
  // took a smaller number and has not committed yet.
  private static final String CHANGES_BELOW_SQL =
      "SELECT "
          + Rows.columns("r.")
          + ", c.name FROM resources r JOIN collections c ON c.id = r.collection_id"
          + " WHERE r.change_seq > ? AND r.change_seq <= ? ORDER BY r.change_seq LIMIT ?";
  // ORDER BY seq makes SQLite's planner take the status index (the partial queue index for
  // QUEUED rows), as the claim's own selects do; without it, it walks the collection's rows in
  // key order, a scan of the whole collection per look.
  private static final String ANY_QUEUED_SQL =
      "SELECT 1 FROM resources WHERE collection_id = ? AND status = "
          + Status.QUEUED.ordinal()
          + " AND work IS NOT NULL ORDER BY seq LIMIT 1";
  private static final String ANY_EXPIRED_SQL =
      "SELECT 1 FROM resources WHERE collection_id = ? AND status = "
          + Status.RUNNING.ordinal()
          + " AND lease_until <= ? AND work IS NOT NULL ORDER BY seq LIMIT 1";
  private static final String CURSOR_SQL = "SELECT COALESCE(MAX(change_seq), 0) FROM resources";

  private final JdbcStateStore store;

  JdbcQueue(JdbcStateStore store) {
    this.store = store;
  }

  List<StoredResource> claimNext(Set<String> collections, String owner, int n, long leaseUntil) {
    StateChanges.checkClaimNext(collections, owner, n, leaseUntil);
    Map<Long, String> ids = new LinkedHashMap<>();
    for (String c : collections) {
      store.collectionId(c).ifPresent(id -> ids.put(id, c));
    }
    if (ids.isEmpty() || !anyClaimable(ids.keySet())) {
      return List.of();
    }
    return store.write(
        () -> {
          long now = store.dialect.now(store.writer.connection);
          TreeMap<Long, Row> picked = candidates(ids, QUEUED_SQL, n, null);
          List<Row> order = new ArrayList<>(picked.values());
          if (order.size() < n) {
            order.addAll(candidates(ids, EXPIRED_SQL, n - order.size(), now).values());
          }
          if (order.isEmpty()) {
            store.dialect.commit(store.writer.connection);
            return List.<StoredResource>of();
          }
          List<StateChanges.ClaimNext> claims = new ArrayList<>(order.size());
          Map<String, Map<String, Row>> original = new HashMap<>();
          for (Row row : order) {
            StoredResource r = row.record();
            claims.add(new StateChanges.ClaimNext(r.collection(), r.key(), owner, now, leaseUntil));
            original.computeIfAbsent(r.collection(), k -> new HashMap<>()).put(r.key(), row);
          }
          List<StoredResource> claimed = new ArrayList<>(claims.size());
          for (ChangeResult result : store.applyRead(claims, original, byName(ids))) {
            if (result.applied()) {
              claimed.add(result.record());
            }
          }
          return claimed;
        });
  }

  private static Map<String, Long> byName(Map<Long, String> ids) {
    Map<String, Long> byName = new HashMap<>();
    ids.forEach((id, name) -> byName.put(name, id));
    return byName;
  }

  /**
   * The first {@code limit} rows by insertion order over all collections: one indexed range per
   * collection, merged, so a claim costs O(limit) per collection whatever the queue's length.
   */
  private TreeMap<Long, Row> candidates(Map<Long, String> ids, String sql, int limit, Long now)
      throws SQLException {
    TreeMap<Long, Row> merged = new TreeMap<>();
    PreparedStatement ps = store.writer.statement(store.dialect.claimCandidatesSql(sql));
    for (Map.Entry<Long, String> e : ids.entrySet()) {
      int p = 1;
      ps.setLong(p++, e.getKey());
      if (now != null) {
        ps.setLong(p++, now);
      }
      ps.setInt(p, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Row row = Rows.read(rs, e.getValue());
          merged.put(row.seq(), row);
        }
      }
    }
    while (merged.size() > limit) {
      merged.pollLastEntry();
    }
    return merged;
  }

  /**
   * Whether a claim could find anything, judged on a reader: idle workers polling an empty queue
   * must not take the database's write lock each time they look.
   */
  private boolean anyClaimable(Set<Long> ids) {
    return store.readers.read(
        s -> {
          PreparedStatement queued = s.statement(ANY_QUEUED_SQL);
          for (long id : ids) {
            queued.setLong(1, id);
            try (ResultSet rs = queued.executeQuery()) {
              if (rs.next()) {
                return true;
              }
            }
          }
          long now = store.dialect.now(s.connection);
          PreparedStatement expired = s.statement(ANY_EXPIRED_SQL);
          for (long id : ids) {
            expired.setLong(1, id);
            expired.setLong(2, now);
            try (ResultSet rs = expired.executeQuery()) {
              if (rs.next()) {
                return true;
              }
            }
          }
          return false;
        });
  }

  ChangePage changesSince(long cursor, int limit) {
    StateChanges.checkChangesSince(cursor, limit);
    return store.readers.read(
        s -> {
          long horizon = store.dialect.changeHorizon(s.connection);
          PreparedStatement ps;
          if (horizon == Long.MAX_VALUE) {
            ps = s.statement(CHANGES_SQL);
            ps.setLong(1, cursor);
            ps.setInt(2, limit);
          } else {
            ps = s.statement(CHANGES_BELOW_SQL);
            ps.setLong(1, cursor);
            ps.setLong(2, horizon);
            ps.setInt(3, limit);
          }
          List<StoredResource> changed = new ArrayList<>();
          long last = cursor;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              StoredResource r = Rows.read(rs, rs.getString(16)).record();
              changed.add(r);
              last = r.changeSeq();
            }
          }
          return new ChangePage(changed, last);
        });
  }

  long changeCursor() {
    return store.readers.read(
        s -> {
          long horizon = store.dialect.changeHorizon(s.connection);
          try (ResultSet rs = s.statement(CURSOR_SQL).executeQuery()) {
            // A watcher starting here must still see a write in flight below the newest number.
            return Math.min(rs.next() ? rs.getLong(1) : 0L, horizon);
          }
        });
  }

  long now() {
    return store.readers.read(s -> store.dialect.now(s.connection));
  }
}
