package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
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
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A state store in memory, for tests and throw-away runs: the same rules as the SQL store (it
 * passes the same contract suites), nothing durable. One lock guards the resources (another the
 * maps, in {@link InMemoryMaps}); no I/O happens under them. Every write of a resource takes the
 * next number of one counter, which is its change number and, for a new resource, its insertion
 * order.
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
  // Change number -> (collection, key) of the resource whose latest write it numbers.
  private final TreeMap<Long, String[]> changed = new TreeMap<>(); // guarded by lock
  private long nextSeq = 1; // guarded by lock
  private boolean closed; // guarded by lock
  private final InMemoryMaps maps = new InMemoryMaps();
  private final InstantSource clock;

  /** A store whose clock (lease expiry in {@link #claimNext}) is the system's. */
  public InMemoryStateStore() {
    this(InstantSource.system());
  }

  /** A store whose clock is {@code clock}, so tests can expire leases by moving it. */
  public InMemoryStateStore(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock is null: pass InstantSource.system()");
  }

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
      return numbered(decided.results());
    }
  }

  /** The results with each written record carrying the number its resource was written with. */
  private List<ChangeResult> numbered(List<ChangeResult> results) {
    List<ChangeResult> out = new ArrayList<>(results.size());
    for (ChangeResult r : results) {
      StoredResource rec = r.record();
      Entry e = null;
      if (r.applied() && rec != null) {
        e = collections.get(rec.collection()).byKey.get(rec.key());
      }
      out.add(
          e == null
              ? r
              : new ChangeResult(r.outcome(), rec.withChangeSeq(e.record.changeSeq()), null));
    }
    return out;
  }

  private void store(String collection, String key, StoredResource next) {
    Coll c = collections.computeIfAbsent(collection, k -> new Coll());
    Entry e = c.byKey.get(key);
    if (e != null) {
      changed.remove(e.record.changeSeq());
      c.index(e.record.status()).remove(e.seq);
      c.counts[e.record.status().ordinal()]--;
      c.attempted -= e.record.attempts() > 0 ? 1 : 0;
    }
    if (next == null) {
      c.byKey.remove(key);
      return;
    }
    long change = nextSeq++;
    next = next.withChangeSeq(change);
    changed.put(change, new String[] {collection, key});
    if (e == null) {
      e = new Entry(change, next);
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

  /** Exact on every filter: a sort of the collection's matching keys (a store for tests). */
  @Override
  public Page<String> keysByPrefix(
      String collection, Set<Status> statuses, String prefix, String cursor, int limit) {
    StateStore.checkLimit(limit);
    PrefixRange range = PrefixRange.of(prefix, cursor);
    List<String> found = new ArrayList<>();
    synchronized (lock) {
      Coll c = collections.get(collection);
      if (c == null) {
        return new Page<>(List.of(), null);
      }
      for (Map.Entry<String, Entry> e : c.byKey.entrySet()) {
        if (range.contains(e.getKey()) && statuses.contains(e.getValue().record.status())) {
          found.add(e.getKey());
        }
      }
    }
    found.sort(PrefixRange::compare);
    if (found.size() <= limit) {
      return new Page<>(found, null);
    }
    List<String> page = new ArrayList<>(found.subList(0, limit));
    return new Page<>(page, PrefixRange.cursorAfter(page.get(limit - 1)));
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
                    0,
                    r.workJson(),
                    0));
      }
      return keys.size();
    }
  }

  // ---------------------------------------------------------------- queue and change cursor

  @Override
  public List<StoredResource> claimNext(Set<String> names, String owner, int n, long leaseUntil) {
    StateChanges.checkClaimNext(names, owner, n, leaseUntil);
    synchronized (lock) {
      checkOpen();
      long now = now();
      List<StoredResource> order = new ArrayList<>(candidates(names, Status.QUEUED, n, now));
      if (order.size() < n) {
        order.addAll(candidates(names, Status.RUNNING, n - order.size(), now));
      }
      List<StateChanges.ClaimNext> claims = new ArrayList<>(order.size());
      for (StoredResource r : order) {
        claims.add(new StateChanges.ClaimNext(r.collection(), r.key(), owner, now, leaseUntil));
      }
      List<StoredResource> claimed = new ArrayList<>();
      for (ChangeResult result : apply(claims)) {
        if (result.applied()) {
          claimed.add(result.record());
        }
      }
      return claimed;
    }
  }

  /**
   * The first {@code limit} claimable records in {@code status} of the named collections, by
   * insertion order: carrying work, and for RUNNING with a lease expired at {@code now}.
   */
  private Collection<StoredResource> candidates(
      Set<String> names, Status status, int limit, long now) {
    TreeMap<Long, StoredResource> merged = new TreeMap<>();
    for (String name : names) {
      Coll c = collections.get(name);
      if (c == null) {
        continue;
      }
      int found = 0;
      for (Map.Entry<Long, String> e : c.index(status).entrySet()) {
        StoredResource r = c.byKey.get(e.getValue()).record;
        if (r.workJson() != null && (status == Status.QUEUED || r.leaseUntil() <= now)) {
          merged.put(e.getKey(), r);
          if (++found == limit) {
            break;
          }
        }
      }
    }
    while (merged.size() > limit) {
      merged.pollLastEntry();
    }
    return merged.values();
  }

  @Override
  public ChangePage changesSince(long cursor, int limit) {
    StateChanges.checkChangesSince(cursor, limit);
    synchronized (lock) {
      List<StoredResource> page = new ArrayList<>();
      long last = cursor;
      for (String[] ck : changed.tailMap(cursor, false).values()) {
        if (page.size() == limit) {
          break;
        }
        StoredResource r = collections.get(ck[0]).byKey.get(ck[1]).record;
        page.add(r);
        last = r.changeSeq();
      }
      return new ChangePage(page, last);
    }
  }

  @Override
  public long changeCursor() {
    synchronized (lock) {
      return changed.isEmpty() ? 0 : changed.lastKey();
    }
  }

  @Override
  public long now() {
    return clock.millis();
  }

  // ---------------------------------------------------------------- durable maps

  @Override
  public List<MapResult> applyMap(List<? extends MapChange> changes) {
    return maps.applyMap(changes);
  }

  @Override
  public void writeMap(String map, List<MapWrite> writes) {
    maps.writeMap(map, writes);
  }

  @Override
  public Optional<String> mapGet(String map, String key) {
    return maps.mapGet(map, key);
  }

  @Override
  public Map<String, String> mapGetAll(String map, Collection<String> keys) {
    return maps.mapGetAll(map, keys);
  }

  @Override
  public Page<MapEntry> mapEntries(String map, String cursor, int limit) {
    return maps.mapEntries(map, cursor, limit);
  }

  @Override
  public long mapSize(String map) {
    return maps.mapSize(map);
  }

  @Override
  public long mapClear(String map) {
    return maps.mapClear(map);
  }

  @Override
  public List<String> maps() {
    return maps.maps();
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
    maps.close();
  }

  private final InMemoryCatalogStore catalog = new InMemoryCatalogStore();

  @Override
  public io.cairn.spi.CatalogStore catalogStore() {
    return catalog;
  }
}
