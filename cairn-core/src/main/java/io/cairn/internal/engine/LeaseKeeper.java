package io.cairn.internal.engine;

import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases this process holds, every third of the lease duration, in as few transactions
 * as possible (one per {@value #MAX_PER_TRANSACTION} leases).
 *
 * <p>Protocol. Whoever commits a claim holds its lease here at once ({@link #hold}), and releases
 * it only after the attempt's outcome (Complete, Fail or Release) has committed. So an item claimed
 * ahead and waiting in a queue, behind a CPU budget, or computed and waiting for its batch's
 * outcome commit keeps its lease, and no other owner can take it while this process is alive.
 *
 * <p>Renewals are fenced by owner and attempt ({@link Changes#lostLease}). A renewal the store
 * refuses means another owner took the resource over (this process was paused longer than the
 * lease, or its owner was judged gone): the lease is marked lost once, logged once, and the
 * holder's cancel action runs (interrupt the computing thread, kill a script's process tree), so
 * the stale attempt stops and writes nothing.
 *
 * <p>Renewals do not queue behind the group committer: they go to the store in their own short
 * transactions, retried within the renewal period if the database is busy, so a long batch of other
 * writes cannot starve them.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  static final int MAX_PER_TRANSACTION = 4096;

  /** A lease held by this process for one attempt. */
  public static final class Held {
    final String collection;
    final String key;
    final int attempt;
    private boolean lost; // guarded by this
    private boolean finishing; // guarded by this
    private Runnable onLost; // guarded by this

    Held(String collection, String key, int attempt) {
      this.collection = collection;
      this.key = key;
      this.attempt = attempt;
    }

    /** The attempt number this lease fences. */
    public int attempt() {
      return attempt;
    }

    /** Whether a renewal found that someone else took the resource over. */
    public synchronized boolean lost() {
      return lost;
    }

    /**
     * What to do when the lease is lost while the attempt runs (runs at once if already lost).
     * Replaces any earlier action; {@code null} clears it.
     */
    public void onLost(Runnable action) {
      boolean runNow;
      synchronized (this) {
        onLost = action;
        runNow = lost && action != null;
      }
      if (runNow) {
        action.run();
      }
    }

    /**
     * Interrupts the calling thread (the attempt's) if the lease is lost, until {@link #detach}.
     */
    public void interruptOnLoss() {
      Thread attempt = Thread.currentThread();
      onLost(attempt::interrupt);
    }

    /**
     * Stops {@link #interruptOnLoss}; call it from the same thread. Returns whether the lease was
     * lost: then the attempt is over and writes nothing, and the interrupt meant for it is cleared,
     * since the thread goes on.
     */
    public boolean detach() {
      onLost(null);
      if (lost()) {
        Thread.interrupted();
        return true;
      }
      return false;
    }

    /**
     * The attempt's outcome is being committed: a renewal refused from now on raced that commit,
     * and the lease is not lost.
     */
    public synchronized void finishing() {
      finishing = true;
    }

    /** Marks the lease lost, unless its outcome is being committed; returns whether it did. */
    boolean markLost() {
      Runnable action;
      synchronized (this) {
        if (lost || finishing) {
          return false;
        }
        lost = true;
        action = onLost;
      }
      if (action != null) {
        action.run();
      }
      return true;
    }
  }

  private record Id(String collection, String key) {}

  private final Function<List<StateChange>, List<ChangeResult>> store;
  private final InstantSource clock;
  private final String owner;
  private final long leaseMillis;
  private final Map<Id, Held> held = new ConcurrentHashMap<>();
  private final AtomicLong lostCount = new AtomicLong();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService timer; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  /**
   * @param store applies renewals in one transaction (the state store's batch write, not the group
   *     committer, so renewals do not wait behind other writes)
   */
  public LeaseKeeper(
      Function<List<StateChange>, List<ChangeResult>> store,
      InstantSource clock,
      String owner,
      Duration lease) {
    this.store = store;
    this.clock = clock;
    this.owner = owner;
    this.leaseMillis = lease.toMillis();
  }

  /** Starts renewing the lease of an attempt whose claim just committed. */
  public Held hold(String collection, String key, int attempt) {
    ensureTimer();
    Held h = new Held(collection, key, attempt);
    held.put(new Id(collection, key), h);
    return h;
  }

  /** Stops renewing a lease (its attempt's outcome has committed, or it was given back). */
  public void release(Held h) {
    if (h != null) {
      held.remove(new Id(h.collection, h.key), h);
    }
  }

  /** How many leases are being renewed. */
  public int size() {
    return held.size();
  }

  /** How many leases this keeper found lost since it started. */
  public long lostCount() {
    return lostCount.get();
  }

  /** Renews every held lease now; the timer calls this, tests may too. */
  public void renewAll() {
    if (held.isEmpty()) {
      return;
    }
    long until = clock.millis() + leaseMillis;
    List<Held> all = new ArrayList<>(held.values());
    for (int from = 0; from < all.size(); from += MAX_PER_TRANSACTION) {
      renew(all.subList(from, Math.min(all.size(), from + MAX_PER_TRANSACTION)), until);
    }
  }

  private void renew(List<Held> hs, long until) {
    List<StateChange> renewals = new ArrayList<>(hs.size());
    for (Held h : hs) {
      renewals.add(new Changes.Renew(h.collection, h.key, owner, h.attempt, until));
    }
    List<ChangeResult> results = null;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, leaseMillis / 3));
    for (long backoff = 10; results == null; backoff = Math.min(backoff * 2, 500)) {
      try {
        results = store.apply(renewals);
      } catch (RuntimeException e) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
          log.warn("lease renewal failed; will retry at the next renewal", e);
          return;
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    for (int i = 0; i < hs.size(); i++) {
      ChangeResult r = results.get(i);
      Held h = hs.get(i);
      if (r.outcome() == ChangeResult.Outcome.REFUSED
          && held.remove(new Id(h.collection, h.key), h)
          && h.markLost()) {
        lostCount.incrementAndGet();
        log.warn(
            "lost the lease on {}/{} (attempt {}): {}; the attempt is cancelled",
            h.collection,
            h.key,
            h.attempt,
            r.message());
      }
    }
  }

  private void ensureTimer() {
    synchronized (lifecycle) {
      if (timer != null || closed) {
        return;
      }
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "cairn-lease-keeper");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(1, leaseMillis / 3);
      timer.scheduleWithFixedDelay(this::renewAllQuietly, period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void renewAllQuietly() {
    try {
      renewAll();
    } catch (Throwable t) { // a scheduled task that throws is never run again
      log.error("lease renewal failed unexpectedly; will retry", t);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (lifecycle) {
      closed = true;
      t = timer;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
