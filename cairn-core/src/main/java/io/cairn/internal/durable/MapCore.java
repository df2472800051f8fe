package io.cairn.internal.durable;

import io.cairn.CairnException;
import io.cairn.durable.MapOptions;
import io.cairn.internal.engine.GroupCommitter;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The state of one durable map in one Cairn, shared by all its handles: the pending (write-behind)
 * writes on top of what the store holds, as JSON text.
 *
 * <p>Write-behind protocol. A write goes into {@link #pending} (see {@link Pending}). A flush moves
 * {@code pending} to {@link #flushing} under {@link #lock}, writes {@code flushing} to the store in
 * one transaction without holding the lock, then clears it; reads look at {@code pending}, then
 * {@code flushing}, then the store, so a value never disappears while it is on its way. Only one
 * flush runs at a time ({@link #flushLock}); if it fails, its writes go back under the newer
 * pending ones and are retried.
 *
 * <p>Loss bound. What a SIGKILL can lose is what is not in the store yet: {@code pending} plus
 * {@code flushing}. A writer waits while those two together hold {@link #maxUnflushed()} keys
 * (unless the map is held), so a crash never loses the writes of more keys than that, however far
 * the writer runs ahead of the store.
 */
final class MapCore implements Syncable {
  /**
   * A pending write: a value ({@code json}), or a removal ({@code json == null}). A value put after
   * a pending removal is {@code removedFirst}: it is flushed as remove + put, so that the key goes
   * to the end as a re-added key should.
   */
  record Pending(String json, boolean removedFirst) {
    boolean isRemoval() {
      return json == null;
    }
  }

  final String name;
  private final StateStore store;
  private final GroupCommitter<MapChange, MapResult> committer;
  private final DurableSyncer syncer;
  private final MapOptions options;

  private final Object lock = new Object();
  private final Object flushLock = new Object();
  private LinkedHashMap<String, Pending> pending = new LinkedHashMap<>(); // guarded by lock
  private LinkedHashMap<String, Pending> flushing; // guarded by lock
  private long oldestPendingNanos; // guarded by lock
  private int holds; // guarded by lock

  MapCore(
      String name,
      StateStore store,
      GroupCommitter<MapChange, MapResult> committer,
      DurableSyncer syncer,
      MapOptions options) {
    this.name = name;
    this.store = store;
    this.committer = committer;
    this.syncer = syncer;
    this.options = options;
  }

  MapOptions options() {
    return options;
  }

  // ---------------------------------------------------------------- reads

  /** The current value as JSON, or null when absent. */
  String get(String key) {
    synchronized (lock) {
      Pending p = pending.get(key);
      if (p == null && flushing != null) {
        p = flushing.get(key);
      }
      if (p != null) {
        return p.json();
      }
    }
    return store.mapGet(name, key).orElse(null);
  }

  /** Pending writes (flushing first, then newer), keys in write order. */
  LinkedHashMap<String, Pending> pendingSnapshot() {
    synchronized (lock) {
      LinkedHashMap<String, Pending> all = new LinkedHashMap<>();
      if (flushing != null) {
        all.putAll(flushing);
      }
      pending.forEach((k, p) -> merge(all, k, p));
      return all;
    }
  }

  /** Adds a newer pending write of {@code key} on top of older ones. */
  private static void merge(LinkedHashMap<String, Pending> older, String key, Pending newer) {
    Pending old = older.get(key);
    if (newer.isRemoval()) {
      older.remove(key);
      older.put(key, newer); // removals go last, like the re-add that may follow
    } else if (old == null) {
      older.put(key, newer);
    } else if (old.isRemoval() || newer.removedFirst()) {
      older.remove(key);
      older.put(key, new Pending(newer.json(), true));
    } else {
      older.put(key, new Pending(newer.json(), old.removedFirst()));
    }
  }

  long size() {
    synchronized (flushLock) { // no flush may move writes into the store while we count
      LinkedHashMap<String, Pending> snapshot = pendingSnapshot();
      long size = store.mapSize(name);
      if (snapshot.isEmpty()) {
        return size;
      }
      Map<String, String> stored = store.mapGetAll(name, snapshot.keySet());
      for (Map.Entry<String, Pending> e : snapshot.entrySet()) {
        boolean present = stored.containsKey(e.getKey());
        if (e.getValue().isRemoval() && present) {
          size--;
        } else if (!e.getValue().isRemoval() && !present) {
          size++;
        }
      }
      return size;
    }
  }

  /** Entries in insertion order: the store's, with pending writes applied, new keys last. */
  java.util.Iterator<MapEntry> iterator() {
    LinkedHashMap<String, Pending> snapshot = pendingSnapshot();
    return new java.util.Iterator<>() {
      private final Set<String> seen = new java.util.HashSet<>();
      private List<MapEntry> page = List.of();
      private int i;
      private String cursor;
      private boolean storeDone;
      private java.util.Iterator<Map.Entry<String, Pending>> tail;
      private MapEntry next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (i < page.size()) {
            MapEntry e = page.get(i++);
            Pending p = snapshot.get(e.key());
            if (p == null) {
              next = e;
            } else if (!p.isRemoval() && !p.removedFirst()) {
              seen.add(e.key()); // updated in place
              next = new MapEntry(e.key(), p.json());
            } // removed, or removed and re-added: not here (re-added ones come at the end)
          } else if (!storeDone) {
            io.cairn.Page<MapEntry> p = store.mapEntries(name, cursor, 10_000);
            page = p.items();
            i = 0;
            cursor = p.nextCursor();
            storeDone = cursor == null;
          } else {
            if (tail == null) {
              tail = snapshot.entrySet().iterator();
            }
            if (!tail.hasNext()) {
              return false;
            }
            Map.Entry<String, Pending> e = tail.next();
            if (!e.getValue().isRemoval() && !seen.contains(e.getKey())) {
              next = new MapEntry(e.getKey(), e.getValue().json());
            }
          }
        }
        return true;
      }

      @Override
      public MapEntry next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        MapEntry e = next;
        next = null;
        return e;
      }
    };
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a value (JSON), or a removal when {@code json} is null.
   *
   * @return in durable mode, what the store did (with the previous value); else null
   */
  MapResult write(String key, String json) {
    if (options.durable()) {
      return committer.apply(new Put(name, key, json));
    }
    boolean wake;
    synchronized (lock) {
      if (!pending.containsKey(key)) {
        awaitRoom(); // a write to a key already pending adds nothing to what a crash can lose
      }
      boolean first = pending.isEmpty();
      if (first) {
        oldestPendingNanos = System.nanoTime();
      }
      merge(pending, key, new Pending(json, false));
      // Wake the sync thread when its deadline changes (first pending write) or when the pending
      // writes reach syncAt; not on every write past it (it rechecks after each flush).
      wake = holds == 0 && (first || pending.size() == options.syncAt());
    }
    if (wake) {
      syncer.request();
    }
    return null;
  }

  /**
   * Backpressure: a writer faster than the store waits while {@link #maxUnflushed()} keys have
   * writes not in the store yet (pending or being flushed; unless held). That bounds what a crash
   * can lose and the memory used, and keeps the pending map young for the garbage collector. The
   * sync thread takes the pending writes as a whole, so the wait is about one flush.
   */
  private void awaitRoom() {
    // Pending is capped at half the bound, so a flush (which takes all of pending) is at most half
    // too: the writer keeps filling the next batch while one is being written, and the two
    // together never pass the bound.
    while (holds == 0 && (pending.size() >= maxUnflushed() / 2 || unflushed() >= maxUnflushed())) {
      syncer.request();
      try {
        lock.wait(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // let the write through: interruption must not lose it
      }
    }
  }

  /** Keys with writes not in the store yet: pending, or in the flush under way. */
  private int unflushed() { // guarded by lock
    return pending.size() + (flushing == null ? 0 : flushing.size());
  }

  /** The most keys with unflushed writes: what a SIGKILL can lose at most. */
  int maxUnflushed() {
    return maxUnflushed(options);
  }

  static int maxUnflushed(MapOptions options) {
    return Math.max(65_536, options.syncAt() * 4);
  }

  /** A durable put or removal through the group committer. */
  record Put(String map, String key, String json) implements MapChange {
    @Override
    public Optional<String> decide(Optional<String> current) {
      return Optional.ofNullable(json);
    }
  }

  /**
   * A read-modify-write of one key, atomic across threads and processes, that runs {@code fn} with
   * no lock and no transaction held (optimistic): write the key's pending value, read the stored
   * value, compute, then write the result in one short transaction only if the entry still holds
   * what was read ({@link CompareAndSet}); if another writer changed it meanwhile, read and compute
   * again. So a slow function never holds the database's write lock, and other writers (threads,
   * Cairns, processes) are never blocked by it; under contention it may be called more than once.
   *
   * @return the value read and the value now stored (the same when {@code fn} changed nothing)
   */
  MapResult compute(String key, UnaryOperator<Optional<String>> fn) {
    syncKey(key);
    for (int conflicts = 0; ; conflicts++) {
      Optional<String> seen = store.mapGet(name, key);
      Optional<String> next = fn.apply(seen);
      if (next == null) {
        throw new IllegalStateException("a map computation decided null for key '" + key + "'");
      }
      if (next.equals(seen)) {
        return new MapResult(seen.orElse(null), seen.orElse(null));
      }
      MapResult r = store.applyMap(List.of(new CompareAndSet(name, key, seen, next))).get(0);
      if (Objects.equals(r.previous(), seen.orElse(null))) {
        return r;
      }
      if (conflicts >= 3) { // a hot key: let the other writers through before reading again
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(conflicts, 20)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CairnException("interrupted while retrying an update of map '" + name + "'");
        }
      }
    }
  }

  /** Writes {@code next} if the entry still holds {@code expected}; else leaves it as it is. */
  record CompareAndSet(String map, String key, Optional<String> expected, Optional<String> next)
      implements MapChange {
    @Override
    public Optional<String> decide(Optional<String> current) {
      return current.equals(expected) ? next : current;
    }
  }

  void clear() {
    synchronized (flushLock) {
      synchronized (lock) {
        pending.clear();
      }
      store.mapClear(name);
    }
  }

  @Override
  public void sync() {
    synchronized (flushLock) {
      LinkedHashMap<String, Pending> batch;
      synchronized (lock) {
        if (pending.isEmpty()) {
          return;
        }
        batch = pending;
        flushing = batch;
        pending = new LinkedHashMap<>(); // no room yet: flushing still counts (see awaitRoom)
      }
      writeFlushing(batch);
    }
  }

  /**
   * Writes {@code batch}, which the caller (holding {@link #flushLock}) just moved from {@code
   * pending} to {@code flushing}; if that fails, puts it back under the newer pending writes.
   */
  private void writeFlushing(LinkedHashMap<String, Pending> batch) {
    try {
      store.writeMap(name, writes(batch));
    } catch (RuntimeException e) {
      synchronized (lock) {
        LinkedHashMap<String, Pending> newer = pending;
        pending = batch;
        newer.forEach((k, p) -> merge(pending, k, p));
      }
      throw e;
    } finally {
      synchronized (lock) {
        flushing = null;
        lock.notifyAll(); // writers waiting for room
        if (!pending.isEmpty()) {
          oldestPendingNanos = System.nanoTime();
        }
      }
    }
  }

  private static List<MapWrite> writes(Map<String, Pending> batch) {
    List<MapWrite> writes = new ArrayList<>(batch.size() + 16);
    batch.forEach(
        (k, p) -> {
          if (p.removedFirst()) {
            writes.add(MapWrite.remove(k));
          }
          writes.add(new MapWrite(k, p.json()));
        });
    return writes;
  }

  void syncKey(String key) {
    synchronized (flushLock) {
      LinkedHashMap<String, Pending> batch = new LinkedHashMap<>();
      synchronized (lock) {
        Pending p = pending.remove(key);
        if (p == null) {
          return;
        }
        batch.put(key, p);
        flushing = batch; // reads still see it while it is written
      }
      writeFlushing(batch);
    }
  }

  void markDirty(String key) {
    String current = get(key);
    if (current != null) {
      synchronized (lock) {
        if (!pending.containsKey(key)) {
          if (pending.isEmpty()) {
            oldestPendingNanos = System.nanoTime();
          }
          pending.put(key, new Pending(current, false));
        }
      }
    }
  }

  Set<String> dirty() {
    return new LinkedHashSet<>(pendingSnapshot().keySet());
  }

  void hold() {
    synchronized (lock) {
      holds++;
    }
  }

  void unhold() {
    boolean due;
    synchronized (lock) {
      if (holds == 0) {
        throw new IllegalStateException("unhold() without a matching hold() on map '" + name + "'");
      }
      holds--;
      due = holds == 0 && pending.size() >= options.syncAt();
    }
    if (due) {
      syncer.request();
    }
  }

  void revert() {
    synchronized (lock) {
      pending.clear();
    }
  }

  @Override
  public long syncIfDue(long nowNanos) {
    long due;
    synchronized (lock) {
      if (pending.isEmpty() || holds > 0) {
        return Long.MAX_VALUE;
      }
      due = oldestPendingNanos + options.syncEvery().toNanos();
      if (pending.size() < options.syncAt() && nowNanos < due) {
        return due;
      }
    }
    sync();
    synchronized (lock) { // writes made during the flush have their own deadline
      if (pending.isEmpty()) {
        return Long.MAX_VALUE;
      }
      return pending.size() >= options.syncAt()
          ? nowNanos
          : oldestPendingNanos + options.syncEvery().toNanos();
    }
  }
}
