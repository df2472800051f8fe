package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapStore;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Durable maps in memory, for {@link InMemoryStateStore}: the same rules as the SQL store's maps,
 * nothing durable. One lock guards everything; no I/O happens under it.
 */
final class InMemoryMaps implements MapStore {
  private final Object lock = new Object();
  private long nextSeq = 1; // guarded by lock
  private boolean closed; // guarded by lock

  private static final class MapData {
    final Map<String, Long> seqs = new HashMap<>();
    final TreeMap<Long, MapEntry> bySeq = new TreeMap<>();

    String get(String key) {
      Long seq = seqs.get(key);
      return seq == null ? null : bySeq.get(seq).json();
    }

    void put(String key, String json, long newSeq) {
      Long seq = seqs.get(key);
      if (seq == null) {
        seqs.put(key, newSeq);
        bySeq.put(newSeq, new MapEntry(key, json));
      } else {
        bySeq.put(seq, new MapEntry(key, json));
      }
    }

    void remove(String key) {
      Long seq = seqs.remove(key);
      if (seq != null) {
        bySeq.remove(seq);
      }
    }
  }

  private final Map<String, MapData> maps = new HashMap<>(); // guarded by lock

  @Override
  public List<MapResult> applyMap(List<? extends MapChange> changes) {
    synchronized (lock) {
      checkOpen();
      // Decide on a scratch view first so that a change that throws leaves nothing applied.
      Map<String, Map<String, Optional<String>>> view = new HashMap<>();
      List<MapResult> results = new ArrayList<>(changes.size());
      List<MapWrite> writes = new ArrayList<>();
      List<String> writeMaps = new ArrayList<>();
      for (MapChange c : changes) {
        Map<String, Optional<String>> v = view.computeIfAbsent(c.map(), k -> new HashMap<>());
        Optional<String> before =
            v.containsKey(c.key())
                ? v.get(c.key())
                : Optional.ofNullable(
                    maps.containsKey(c.map()) ? maps.get(c.map()).get(c.key()) : null);
        Optional<String> after = c.decide(before);
        if (after == null) {
          throw new IllegalStateException("a map change decided null: " + c);
        }
        if (!after.equals(before)) {
          v.put(c.key(), after);
          writes.add(new MapWrite(c.key(), after.orElse(null)));
          writeMaps.add(c.map());
        }
        results.add(new MapResult(before.orElse(null), after.orElse(null)));
      }
      for (int i = 0; i < writes.size(); i++) {
        writeOne(writeMaps.get(i), writes.get(i));
      }
      return results;
    }
  }

  @Override
  public void writeMap(String map, List<MapWrite> writes) {
    synchronized (lock) {
      checkOpen();
      for (MapWrite w : writes) {
        writeOne(map, w);
      }
    }
  }

  private void writeOne(String map, MapWrite w) {
    MapData data = maps.computeIfAbsent(map, k -> new MapData());
    if (w.isRemove()) {
      data.remove(w.key());
    } else {
      data.put(w.key(), w.json(), nextSeq++);
    }
  }

  @Override
  public Optional<String> mapGet(String map, String key) {
    synchronized (lock) {
      MapData data = maps.get(map);
      return Optional.ofNullable(data == null ? null : data.get(key));
    }
  }

  @Override
  public Map<String, String> mapGetAll(String map, Collection<String> keys) {
    synchronized (lock) {
      Map<String, String> found = new HashMap<>();
      MapData data = maps.get(map);
      if (data != null) {
        for (String key : keys) {
          String json = data.get(key);
          if (json != null) {
            found.put(key, json);
          }
        }
      }
      return found;
    }
  }

  @Override
  public Page<MapEntry> mapEntries(String map, String cursor, int limit) {
    StateStore.checkLimit(limit);
    long after = Rows.parseCursor(cursor);
    synchronized (lock) {
      MapData data = maps.get(map);
      if (data == null) {
        return new Page<>(List.of(), null);
      }
      List<MapEntry> entries = new ArrayList<>();
      long last = after;
      for (Map.Entry<Long, MapEntry> e : data.bySeq.tailMap(after, false).entrySet()) {
        if (entries.size() == limit) {
          return new Page<>(entries, Long.toString(last));
        }
        entries.add(e.getValue());
        last = e.getKey();
      }
      return new Page<>(entries, null);
    }
  }

  @Override
  public long mapSize(String map) {
    synchronized (lock) {
      MapData data = maps.get(map);
      return data == null ? 0 : data.seqs.size();
    }
  }

  @Override
  public long mapClear(String map) {
    synchronized (lock) {
      checkOpen();
      MapData data = maps.get(map);
      if (data == null) {
        return 0;
      }
      long n = data.seqs.size();
      data.seqs.clear();
      data.bySeq.clear();
      return n;
    }
  }

  @Override
  public List<String> maps() {
    synchronized (lock) {
      return new ArrayList<>(new TreeSet<>(maps.keySet()));
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("state store is closed");
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }
}
