package io.cairn.internal.durable;

import io.cairn.Page;
import io.cairn.Status;
import io.cairn.spi.ResourceStore;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys a write-behind tracker knows are present, so {@code addIfAbsent} answers from memory
 * instead of a store round trip: every key in the store when the set was first needed, every key
 * added through this tracker since, and the keys other processes made durable, read again when the
 * set is stale (older than the sync bound, or after an explicit {@code sync()}).
 *
 * <p>Keys are never removed from a tracker, so the set only grows. The catch-up read starts at the
 * cursor of the last full page seen (the store's cursors are opaque, and the last page has none),
 * so it re-reads at most one page of keys already known.
 */
final class KnownKeys {
  private static final int PAGE = 4_096;
  private static final Set<Status> ALL = EnumSet.allOf(Status.class);

  private final ResourceStore store;
  private final String collection;
  private final long staleAfterNanos;
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final Object readLock = new Object(); // one catch-up read at a time
  private volatile boolean loaded;
  private volatile boolean stale;
  private volatile long readAtNanos;
  private String cursor; // guarded by readLock

  KnownKeys(ResourceStore store, String collection, long staleAfterNanos) {
    this.store = store;
    this.collection = collection;
    this.staleAfterNanos = staleAfterNanos;
  }

  /** Records a key as present; returns whether it was not known before. */
  boolean add(String key) {
    ensureRead();
    return keys.add(key);
  }

  boolean contains(String key) {
    ensureRead();
    return keys.contains(key);
  }

  /** Forgets a key this tracker claimed but could not add (an all-or-none add that failed). */
  void remove(String key) {
    keys.remove(key);
  }

  /** Records a key added durably, if the set is in use. */
  void noteAdded(String key) {
    if (loaded) {
      keys.add(key);
    }
  }

  /** The next look reads what other processes made durable since the last read. */
  void markStale() {
    stale = true;
  }

  private void ensureRead() {
    if (loaded && !stale && System.nanoTime() - readAtNanos < staleAfterNanos) {
      return;
    }
    synchronized (readLock) {
      stale = false;
      readAtNanos = System.nanoTime();
      String from = cursor;
      while (true) {
        Page<String> page = store.keys(collection, ALL, from, PAGE);
        keys.addAll(page.items());
        if (page.nextCursor() == null) {
          break;
        }
        from = page.nextCursor();
        cursor = from;
      }
      loaded = true;
    }
  }
}
