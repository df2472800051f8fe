package io.cairn.internal.durable;

import io.cairn.Page;
import io.cairn.durable.TryKeys;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One pass of {@code tryKeys()} over a tracker, in insertion order.
 *
 * <p>Keys are claimed a chunk at a time: one transaction commits the pending done marks of the
 * previous chunk and claims the next chunk (RUNNING under this process's lease, tries + 1), and
 * only then are the chunk's keys handed out, one by one. Claiming ahead holds leases on keys not
 * started yet, so the chunk size adapts to the loop: about 20 ms of loop work per chunk, from 1 key
 * (slow loops: others can take the rest) to 1,024 (fast ones). A key claimed by another live worker
 * is skipped (BUSY), so no key is handed to two workers at once.
 *
 * <p>The pass reads the to-do listing by cursor. At its end it keeps re-reading the last page,
 * skipping keys it already saw, so keys added during the loop are reached; it ends when a read
 * brings nothing new.
 */
final class TryKeysIterator implements TryKeys, Iterator<String> {
  private static final long TARGET_CHUNK_NANOS = 20_000_000;
  private static final int MAX_CHUNK = 1_024;

  private record Claimed(String key, StoredResource record, LeaseKeeper.Held lease) {}

  private final Tracker tracker;
  private final ArrayDeque<Claimed> buffer = new ArrayDeque<>();
  private final Set<String> skip = new HashSet<>();
  private String from;
  private Claimed current;

  /** Leases of tries handed back whose outcome may not have committed yet. */
  private final List<LeaseKeeper.Held> finishing = new ArrayList<>();

  private boolean exhausted;
  private boolean closed;
  private boolean iterated;
  private int chunk = 1;
  private int handedSinceRefill;
  private long lastRefillNanos;

  TryKeysIterator(Tracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public Iterator<String> iterator() {
    if (iterated) {
      throw new IllegalStateException("tryKeys() is iterated once; call tryKeys() again");
    }
    iterated = true;
    return this;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    finishCurrent();
    while (buffer.isEmpty() && !exhausted) {
      refill();
    }
    if (buffer.isEmpty()) {
      close();
      return false;
    }
    return true;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    current = buffer.poll();
    tracker.handedOut.add(current.key());
    handedSinceRefill++;
    return current.key();
  }

  /** Ends the try of the key handed out last, unless the loop resolved it (done, aborted, ...). */
  private void finishCurrent() {
    if (current == null) {
      return;
    }
    if (tracker.handedOut.remove(current.key())) {
      tracker.enqueue(
          new TrackerChanges.FinishTry(
              tracker.name,
              current.key(),
              tracker.engine.owner(),
              current.record().attempts(),
              tracker.engine.now(),
              tracker.options.maxTries()));
    }
    // The try's outcome (FinishTry, or the loop's markDone) is still pending: keep the lease until
    // it has committed, or another process could claim the key and try it again meanwhile.
    current.lease().finishing();
    finishing.add(current.lease());
    current = null;
  }

  /** Stops renewing the leases of finished tries, once their outcomes have committed. */
  private void releaseFinished() {
    finishing.forEach(tracker.engine.leases()::release);
    finishing.clear();
  }

  private void adaptChunk() {
    long now = System.nanoTime();
    if (lastRefillNanos != 0 && handedSinceRefill > 0) {
      long perKey = Math.max(1, (now - lastRefillNanos) / handedSinceRefill);
      long target = Math.max(1, Math.min(MAX_CHUNK, TARGET_CHUNK_NANOS / perKey));
      chunk = (int) Math.min(target, (long) chunk * 4);
    }
    lastRefillNanos = now;
    handedSinceRefill = 0;
  }

  private void refill() {
    adaptChunk();
    if (tracker.addsPending()) {
      tracker.flush(); // the listing below must see them, and they are durable before a hand-out
    }
    Page<String> page =
        tracker.engine.store().keys(tracker.name, Tracker.TODO, from, chunk + skip.size());
    List<String> keys = new ArrayList<>(page.items().size());
    for (String k : page.items()) {
      if (!skip.contains(k)) {
        keys.add(k);
      }
    }
    if (page.nextCursor() != null) {
      from = page.nextCursor();
      skip.clear();
    } else {
      skip.addAll(keys);
      if (keys.isEmpty()) {
        exhausted = true;
      }
    }
    long now = tracker.engine.now();
    long leaseUntil = now + tracker.engine.lease().toMillis();
    List<StateChange> claims = new ArrayList<>(keys.size());
    for (String k : keys) {
      claims.add(
          new TrackerChanges.TryClaim(
              tracker.name,
              k,
              tracker.engine.owner(),
              now,
              leaseUntil,
              tracker.options.maxTries()));
    }
    // The pending done marks of the previous chunk go first, in the same transaction; once they
    // have committed, the finished tries' leases are no longer needed.
    List<ChangeResult> results = tracker.commitPendingWith(claims);
    releaseFinished();
    for (ChangeResult r : results) {
      if (r.applied()) {
        String key = r.record().key();
        buffer.add(
            new Claimed(
                key,
                r.record(),
                tracker.engine.leases().hold(tracker.name, key, r.record().attempts())));
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    finishCurrent();
    for (Claimed c : buffer) {
      tracker.enqueue(
          new TrackerChanges.Unclaim(
              tracker.name,
              c.key(),
              tracker.engine.owner(),
              c.record().attempts(),
              c.record().error() == null ? io.cairn.Status.QUEUED : io.cairn.Status.ERROR,
              c.record().attempts() - 1));
      c.lease().finishing();
      finishing.add(c.lease());
    }
    buffer.clear();
    tracker.closed(this);
    try {
      tracker.flush();
    } finally {
      releaseFinished();
    }
  }
}
