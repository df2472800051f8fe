package io.cairn.internal.durable;

import io.cairn.internal.engine.GroupCommitter;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import java.util.ArrayList;
import java.util.List;

/**
 * A tracker's write-behind changes, committed in the order they were made.
 *
 * <p>Flush protocol. Every commit of pending changes ({@link #flush()}, {@link #commitPendingWith})
 * drains and commits under {@link #flushLock}, so batches reach the store in the order their
 * changes were made, and a flush that finds nothing pending still waits for a flush another thread
 * has drained but not yet committed: when it returns, every change made before it is stored. {@link
 * #lock} guards only the pending list and counters and is never held during I/O.
 */
final class TrackerPending {
  private static final long SYNC_EVERY_NANOS = Tracker.SYNC_EVERY_NANOS;

  /** Pending changes that make a flush due at once (on the sync thread). */
  static final int FLUSH_AT = 32_768;

  /**
   * Unflushed changes (pending or being committed) at which an add waits for a flush in the caller:
   * what a SIGKILL can lose of one-key adds, however fast the caller (as a map's bound).
   */
  static final int MAX_UNFLUSHED = 65_536;

  private final GroupCommitter<StateChange, ChangeResult> committer;
  private final DurableSyncer syncer;
  private final Object lock = new Object();
  private final Object flushLock = new Object(); // one flush at a time, in the order made
  private List<StateChange> pending = new ArrayList<>(); // guarded by lock
  private long oldestPendingNanos; // guarded by lock
  private int pendingAdds; // guarded by lock
  private int inFlight; // changes drained and being committed; guarded by lock

  TrackerPending(GroupCommitter<StateChange, ChangeResult> committer, DurableSyncer syncer) {
    this.committer = committer;
    this.syncer = syncer;
  }

  /** Queues a write-behind change. */
  void enqueue(StateChange change) {
    boolean wake;
    synchronized (lock) {
      wake = pending.isEmpty();
      if (wake) {
        oldestPendingNanos = System.nanoTime();
      }
      pending.add(change);
      wake |= pending.size() == FLUSH_AT;
    }
    if (wake) {
      syncer.request(); // its next deadline is ours
    }
  }

  /** Queues write-behind adds (idempotent inserts), in order. */
  void enqueueAdds(List<StateChange> adds) {
    boolean full;
    synchronized (lock) {
      full = pending.size() + inFlight >= MAX_UNFLUSHED;
    }
    if (full) {
      flush(); // backpressure: the caller waits for the store rather than exposing more
    }
    boolean wake;
    synchronized (lock) {
      wake = pending.isEmpty();
      if (wake) {
        oldestPendingNanos = System.nanoTime();
      }
      int before = pending.size();
      pending.addAll(adds);
      pendingAdds += adds.size();
      wake |= before < FLUSH_AT && pending.size() >= FLUSH_AT;
    }
    if (wake) {
      syncer.request();
    }
  }

  /** Whether adds are pending: an iterator commits them before it lists keys. */
  boolean addsPending() {
    synchronized (lock) {
      return pendingAdds > 0;
    }
  }

  /** Takes every pending change; the caller holds {@link #flushLock} and commits them. */
  private List<StateChange> drainPending() {
    synchronized (lock) {
      List<StateChange> drained = pending;
      pending = new ArrayList<>();
      pendingAdds = 0;
      return drained;
    }
  }

  /** Puts back changes whose commit failed, before any newer ones. */
  private void requeue(List<StateChange> changes) {
    synchronized (lock) {
      for (StateChange c : changes) {
        pendingAdds += c instanceof TrackerChanges.Add ? 1 : 0;
      }
      changes.addAll(pending);
      pending = new ArrayList<>(changes);
      oldestPendingNanos = System.nanoTime();
    }
  }

  /** Commits what is pending; what every read does first, so it sees this process's writes. */
  void flush() {
    commitPendingWith(List.of());
  }

  /**
   * Commits every pending change, then {@code more}, in one transaction and in that order; if the
   * commit fails, the pending changes go back before any newer ones.
   *
   * @return the results of {@code more}
   */
  List<ChangeResult> commitPendingWith(List<? extends StateChange> more) {
    synchronized (flushLock) {
      List<StateChange> batch = drainPending();
      int first = batch.size();
      batch.addAll(more);
      if (batch.isEmpty()) {
        return List.of();
      }
      setInFlight(first);
      List<ChangeResult> results;
      try {
        results = committer.apply(batch);
      } catch (RuntimeException e) {
        requeue(new ArrayList<>(batch.subList(0, first)));
        throw e;
      } finally {
        setInFlight(0);
      }
      return results.subList(first, results.size());
    }
  }

  private void setInFlight(int n) {
    synchronized (lock) {
      inFlight = n;
    }
  }

  long syncIfDue(long nowNanos) {
    long due;
    synchronized (lock) {
      if (pending.isEmpty()) {
        return Long.MAX_VALUE;
      }
      due = pending.size() >= FLUSH_AT ? nowNanos : oldestPendingNanos + SYNC_EVERY_NANOS;
    }
    if (nowNanos < due) {
      return due;
    }
    flush();
    return Long.MAX_VALUE;
  }
}
