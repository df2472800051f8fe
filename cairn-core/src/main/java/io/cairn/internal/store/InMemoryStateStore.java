package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateChanges;
import io.cairn.spi.StateStore;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A state store in memory, for tests and throw-away runs: the same rules as the SQL store (it
 * passes the same contract suite), nothing durable. One lock guards everything; no I/O happens
 * under it.
 */
public final class InMemoryStateStore implements StateStore {
  private static final class Entry {
    final long seq;
    StoredResource record;

    Entry(long seq, StoredResource record) {
      this.seq = seq;
      this.record = record;
    }
  }

  private static final class Coll {
    String version = "";
    long attempted;
    final Map<String, Entry> byKey = new HashMap<>();
    final Map<Status, NavigableMap<Long, String>> byStatus = new EnumMap<>(Status.class);
    final long[] counts = new long[Status.values().length];

    NavigableMap<Long, String> index(Status s) {
      return byStatus.computeIfAbsent(s, k -> new TreeMap<>());
    }
  }

  private final Object lock = new Object();
  private final Map<String, Coll> collections = new HashMap<>(); // guarded by lock
  private long nextSeq = 1; // guarded by lock
  private boolean closed; // guarded by lock

  @Override
  public List<ChangeResult> apply(List<? extends StateChange> changes) {
    synchronized (lock) {
      checkOpen();
      // Decide everything first (nothing is written while deciding), so that a change that
      // throws leaves nothing half-applied: the batch is all or nothing, like a transaction.
      StateChanges.Decided decided =
          StateChanges.decide(
              changes,
              (collection, key) -> {
                Coll c = collections.get(collection);
                Entry e = c == null ? null : c.byKey.get(key);
                return e == null ? null : e.record;
              });
      decided
          .finalStates()
          .forEach(
              (collection, states) ->
                  states.forEach((key, next) -> store(collection, key, next.orElse(null))));
      return decided.results();
    }
  }

  private void store(String collection, String key, StoredResource next) {
    Coll c = collections.computeIfAbsent(collection, k -> new Coll());
    Entry e = c.byKey.get(key);
    if (e != null) {
      c.index(e.record.status()).remove(e.seq);
      c.counts[e.record.status().ordinal()]--;
      c.attempted -= e.record.attempts() > 0 ? 1 : 0;
    }
    if (next == null) {
      c.byKey.remove(key);
      return;
    }
    if (e == null) {
      e = new Entry(nextSeq++, next);
      c.byKey.put(key, e);
    } else {
      e.record = next;
    }
    c.index(next.status()).put(e.seq, key);
    c.counts[next.status().ordinal()]++;
    c.attempted += next.attempts() > 0 ? 1 : 0;
  }

  @Override
  public Optional<StoredResource> get(String collection, String key) {
    synchronized (lock) {
      checkOpen();
      Coll c = collections.get(collection);
      Entry e = c == null ? null : c.byKey.get(key);
      return e == null ? Optional.empty() : Optional.of(e.record);
    }
  }

  @Override
  public void registerCollection(String collection, String version) {
    synchronized (lock) {
      checkOpen();
      collections.computeIfAbsent(collection, k -> new Coll()).version = version;
    }
  }

  @Override
  public Optional<String> collectionVersion(String collection) {
    synchronized (lock) {
      Coll c = collections.get(collection);
      return c == null ? Optional.empty() : Optional.of(c.version);
    }
  }

  @Override
  public List<String> collections() {
    synchronized (lock) {
      return new ArrayList<>(new TreeSet<>(collections.keySet()));
    }
  }

  @Override
  public Stats stats(String collection) {
    synchronized (lock) {
      Coll c = collections.get(collection);
      if (c == null) {
        return Stats.empty();
      }
      Map<Status, Long> counts = new EnumMap<>(Status.class);
      for (Status s : Status.values()) {
        counts.put(s, c.counts[s.ordinal()]);
      }
      return new Stats(counts, c.attempted);
    }
  }

  @Override
  public Page<String> keys(String collection, Set<Status> statuses, String cursor, int limit) {
    StateStore.checkLimit(limit);
    long after = Rows.parseCursor(cursor);
    synchronized (lock) {
      Coll c = collections.get(collection);
      if (c == null) {
        return new Page<>(List.of(), null);
      }
      TreeMap<Long, String> merged = new TreeMap<>();
      for (Status status : statuses) {
        int n = 0;
        for (Map.Entry<Long, String> e : c.index(status).tailMap(after, false).entrySet()) {
          if (n++ > limit) {
            break;
          }
          merged.put(e.getKey(), e.getValue());
        }
      }
      List<String> keys = new ArrayList<>();
      long last = after;
      for (Map.Entry<Long, String> e : merged.entrySet()) {
        if (keys.size() == limit) {
          return new Page<>(keys, Long.toString(last));
        }
        keys.add(e.getValue());
        last = e.getKey();
      }
      return new Page<>(keys, null);
    }
  }

  @Override
  public long moveAll(String collection, Status from, Status to, long now) {
    StateChanges.checkMoveAll(from, to);
    synchronized (lock) {
      checkOpen();
      Coll c = collections.get(collection);
      if (c == null) {
        return 0;
      }
      List<String> keys = new ArrayList<>(c.index(from).values());
      for (String key : keys) {
        StoredResource r = c.byKey.get(key).record;
        store(
            collection,
            key,
            to == Status.UNAVAILABLE
                ? null
                : new StoredResource(
                    collection,
                    key,
                    to,
                    0,
                    r.argsJson(),
                    r.resultJson(),
                    r.error(),
                    r.fingerprint(),
                    now,
                    r.startedAt(),
                    r.endedAt(),
                    null,
                    0));
      }
      return keys.size();
    }
  }

  // ---------------------------------------------------------------- durable maps

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
