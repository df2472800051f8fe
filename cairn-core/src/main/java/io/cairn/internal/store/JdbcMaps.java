package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durable maps over SQL, inside {@link JdbcStateStore}'s transactions.
 *
 * <p>A batch becomes a plan per map: the keys to delete first (every key removed in the batch, so
 * that a key removed and put again goes to the end, as in a LinkedHashMap), then the final value of
 * every key put, written with multi-row upserts that keep an existing key's position. The map's
 * size is maintained in the same transaction: minus the rows the deletes removed, plus the rows
 * that got one of the batch's new sequence numbers (the inserted ones). Sequence numbers come from
 * the dialect's {@code map_entries} sequence, shared by all maps (so a key re-added goes after
 * every key of its map), and a batch decides on rows its dialect locked first ({@link
 * SqlDialect#lockForUpdate}).
 */
final class JdbcMaps {
  private final JdbcStateStore store;
  private final Map<String, Long> ids = new ConcurrentHashMap<>();

  JdbcMaps(JdbcStateStore store) {
    this.store = store;
  }

  /** What one batch does to one map. */
  private static final class Plan {
    final Set<String> deletes = new LinkedHashSet<>();
    final LinkedHashMap<String, String> puts = new LinkedHashMap<>();

    void put(String key, String json, boolean wasAbsent) {
      if (wasAbsent && deletes.contains(key)) {
        puts.remove(key); // re-added after a removal: to the end
      }
      puts.put(key, json);
    }

    void remove(String key) {
      deletes.add(key);
      puts.remove(key);
    }
  }

  // ---------------------------------------------------------------- writes

  List<MapResult> apply(List<? extends MapChange> changes) {
    return store.write(
        () -> {
          Map<String, Long> newIds = new HashMap<>();
          Map<String, Map<String, Optional<String>>> view = new LinkedHashMap<>();
          Map<String, Set<String>> keys = new LinkedHashMap<>();
          for (MapChange c : changes) {
            keys.computeIfAbsent(c.map(), k -> new LinkedHashSet<>()).add(c.key());
          }
          for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
            long mid = idForWrite(e.getKey(), newIds);
            store.dialect.lockForUpdate(store.writer.connection, "map_entries", mid, e.getValue());
            Map<String, String> found = selectValues(store.writer, mid, e.getValue());
            Map<String, Optional<String>> current = new HashMap<>();
            for (String key : e.getValue()) {
              current.put(key, Optional.ofNullable(found.get(key)));
            }
            view.put(e.getKey(), current);
          }
          Map<String, Plan> plans = new LinkedHashMap<>();
          List<MapResult> results = new ArrayList<>(changes.size());
          for (MapChange c : changes) {
            Map<String, Optional<String>> current = view.get(c.map());
            Optional<String> before = current.get(c.key());
            Optional<String> after = c.decide(before);
            if (after == null) {
              throw new IllegalStateException("a map change decided null: " + c);
            }
            if (!after.equals(before)) {
              Plan plan = plans.computeIfAbsent(c.map(), k -> new Plan());
              if (after.isPresent()) {
                plan.put(c.key(), after.get(), before.isEmpty());
              } else {
                plan.remove(c.key());
              }
              current.put(c.key(), after);
            }
            results.add(new MapResult(before.orElse(null), after.orElse(null)));
          }
          int puts = 0;
          for (Map.Entry<String, Plan> e : plans.entrySet()) {
            execute(idForWrite(e.getKey(), newIds), e.getValue());
            puts += e.getValue().puts.size();
          }
          store.dialect.commit(store.writer.connection);
          ids.putAll(newIds);
          store.dialect.afterWrite(store.writer.connection, "map_entries", puts);
          return results;
        });
  }

  void write(String map, List<MapWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    store.write(
        () -> {
          Map<String, Long> newIds = new HashMap<>();
          long mid = idForWrite(map, newIds);
          Plan plan = new Plan();
          for (MapWrite w : writes) {
            if (w.isRemove()) {
              plan.remove(w.key());
            } else {
              // Blind: a key not seen in this batch may or may not exist; the upsert keeps its
              // position if it does. Only a removal earlier in the batch sends it to the end.
              plan.put(w.key(), w.json(), plan.deletes.contains(w.key()));
            }
          }
          execute(mid, plan);
          store.dialect.commit(store.writer.connection);
          ids.putAll(newIds);
          store.dialect.afterWrite(store.writer.connection, "map_entries", plan.puts.size());
          return null;
        });
  }

  private void execute(long mid, Plan plan) throws SQLException {
    Session w = store.writer;
    long removed = 0;
    List<String> deletes = new ArrayList<>(plan.deletes);
    int i = 0;
    while (i < deletes.size()) {
      int n = Rows.sizeFor(deletes.size() - i);
      PreparedStatement ps =
          w.statement("DELETE FROM map_entries WHERE map_id = ? AND key IN " + Rows.marks(n));
      ps.setLong(1, mid);
      for (int k = 0; k < n; k++) {
        ps.setString(k + 2, deletes.get(i + k));
      }
      removed += ps.executeUpdate();
      i += n;
    }
    long inserted = 0;
    if (!plan.puts.isEmpty()) {
      // One number per put; a put that replaces an existing key keeps its old number (position),
      // so its new one is a gap.
      long first = store.dialect.nextSeqs(w.connection, "map_entries", plan.puts.size());
      long seq = first;
      List<Map.Entry<String, String>> puts = new ArrayList<>(plan.puts.entrySet());
      i = 0;
      while (i < puts.size()) {
        int n = Rows.sizeFor(puts.size() - i);
        PreparedStatement ps = w.statement(upsertSql(n));
        int p = 1;
        for (int k = 0; k < n; k++) {
          Map.Entry<String, String> e = puts.get(i + k);
          ps.setLong(p++, mid);
          ps.setLong(p++, seq++);
          ps.setString(p++, e.getKey());
          ps.setString(p++, e.getValue());
        }
        ps.executeUpdate();
        i += n;
      }
      // The rows holding this batch's numbers are the ones it inserted: the numbers are its own.
      PreparedStatement count =
          w.statement("SELECT COUNT(*) FROM map_entries WHERE map_id = ? AND seq BETWEEN ? AND ?");
      count.setLong(1, mid);
      count.setLong(2, first);
      count.setLong(3, seq - 1);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        inserted = rs.getLong(1);
      }
    }
    if (inserted != removed) {
      PreparedStatement ps = w.statement("UPDATE maps SET size = size + ? WHERE id = ?");
      ps.setLong(1, inserted - removed);
      ps.setLong(2, mid);
      ps.executeUpdate();
    }
  }

  private static String upsertSql(int rows) {
    StringBuilder sql =
        new StringBuilder("INSERT INTO map_entries (map_id, seq, key, value) VALUES ");
    for (int k = 0; k < rows; k++) {
      sql.append(k == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
    }
    return sql.append(" ON CONFLICT (map_id, key) DO UPDATE SET value = excluded.value").toString();
  }

  long clear(String map) {
    Optional<Long> mid = id(map);
    if (mid.isEmpty()) {
      return 0;
    }
    return store.write(
        () -> {
          store.dialect.lockForUpdate(store.writer.connection, "map_entries", mid.get(), null);
          long n;
          try (PreparedStatement ps =
              store.writer.connection.prepareStatement(
                  "DELETE FROM map_entries WHERE map_id = ?")) {
            ps.setLong(1, mid.get());
            n = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              store.writer.connection.prepareStatement("UPDATE maps SET size = 0 WHERE id = ?")) {
            ps.setLong(1, mid.get());
            ps.executeUpdate();
          }
          store.dialect.commit(store.writer.connection);
          return n;
        });
  }

  private long idForWrite(String map, Map<String, Long> newIds) throws SQLException {
    Long id = ids.get(map);
    if (id == null) {
      id = newIds.get(map);
    }
    if (id == null) {
      id = lookup(store.writer, map);
      if (id == null) {
        // Idempotent: a concurrent first writer may insert the same name first.
        PreparedStatement ps =
            store.writer.statement(
                "INSERT INTO maps (name, size) VALUES (?, 0) ON CONFLICT (name) DO NOTHING");
        ps.setString(1, map);
        ps.executeUpdate();
        id = lookup(store.writer, map);
        if (id == null) {
          throw new IllegalStateException("map '" + map + "' vanished on insert");
        }
      }
      newIds.put(map, id);
    }
    return id;
  }

  // ---------------------------------------------------------------- reads

  private Optional<Long> id(String map) {
    Long id = ids.get(map);
    if (id != null) {
      return Optional.of(id);
    }
    Long found = store.readers.read(s -> lookup(s, map));
    if (found != null) {
      ids.put(map, found);
    }
    return Optional.ofNullable(found);
  }

  private static Long lookup(Session s, String map) throws SQLException {
    PreparedStatement ps = s.statement("SELECT id FROM maps WHERE name = ?");
    ps.setString(1, map);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  Optional<String> get(String map, String key) {
    Optional<Long> mid = id(map);
    if (mid.isEmpty()) {
      return Optional.empty();
    }
    return store.readers.read(
        s -> {
          PreparedStatement ps =
              s.statement("SELECT value FROM map_entries WHERE map_id = ? AND key = ?");
          ps.setLong(1, mid.get());
          ps.setString(2, key);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
          }
        });
  }

  Map<String, String> getAll(String map, Collection<String> keys) {
    Optional<Long> mid = id(map);
    if (mid.isEmpty() || keys.isEmpty()) {
      return Map.of();
    }
    return store.readers.read(s -> selectValues(s, mid.get(), keys));
  }

  private static Map<String, String> selectValues(Session s, long mid, Collection<String> keys)
      throws SQLException {
    List<String> list = new ArrayList<>(keys);
    Map<String, String> found = new HashMap<>();
    int i = 0;
    while (i < list.size()) {
      int n = Rows.sizeFor(list.size() - i);
      PreparedStatement ps =
          s.statement(
              "SELECT key, value FROM map_entries WHERE map_id = ? AND key IN " + Rows.marks(n));
      ps.setLong(1, mid);
      for (int k = 0; k < n; k++) {
        ps.setString(k + 2, list.get(i + k));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getString(2));
        }
      }
      i += n;
    }
    return found;
  }

  Page<MapEntry> entries(String map, String cursor, int limit) {
    StateStore.checkLimit(limit);
    long after = Rows.parseCursor(cursor);
    Optional<Long> mid = id(map);
    if (mid.isEmpty()) {
      return new Page<>(List.of(), null);
    }
    return store.readers.read(
        s -> {
          PreparedStatement ps =
              s.statement(
                  "SELECT seq, key, value FROM map_entries WHERE map_id = ? AND seq > ?"
                      + " ORDER BY seq LIMIT ?");
          ps.setLong(1, mid.get());
          ps.setLong(2, after);
          ps.setInt(3, limit + 1);
          List<MapEntry> entries = new ArrayList<>(Math.min(limit, 1024));
          long last = after;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (entries.size() == limit) {
                return new Page<>(entries, Long.toString(last));
              }
              last = rs.getLong(1);
              entries.add(new MapEntry(rs.getString(2), rs.getString(3)));
            }
          }
          return new Page<>(entries, null);
        });
  }

  long size(String map) {
    Optional<Long> mid = id(map);
    if (mid.isEmpty()) {
      return 0;
    }
    return store.readers.read(
        s -> {
          PreparedStatement ps = s.statement("SELECT size FROM maps WHERE id = ?");
          ps.setLong(1, mid.get());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  List<String> names() {
    return store.readers.read(
        s -> {
          List<String> names = new ArrayList<>();
          try (ResultSet rs = s.statement("SELECT name FROM maps ORDER BY name").executeQuery()) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          return names;
        });
  }
}
