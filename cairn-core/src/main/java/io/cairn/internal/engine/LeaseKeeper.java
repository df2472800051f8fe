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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases this process holds, all of them in one group-committed batch, every third of
 * the lease duration. A process that dies stops renewing, so its resources become claimable when
 * their leases run out. A renewal the store refuses means another worker took the resource over
 * after our lease expired (we were paused too long): the lease is marked lost, and the holder's
 * final write will be refused too.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** A lease held by this process. */
  public static final class Held {
    final String collection;
    final String key;
    volatile boolean lost;

    Held(String collection, String key) {
      this.collection = collection;
      this.key = key;
    }

    /** Whether a renewal found that someone else took the resource over. */
    public boolean lost() {
      return lost;
    }
  }

  private record Id(String collection, String key) {}

  private final GroupCommitter<StateChange, ChangeResult> committer;
  private final InstantSource clock;
  private final String owner;
  private final long leaseMillis;
  private final Map<Id, Held> held = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private ScheduledExecutorService timer; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  public LeaseKeeper(
      GroupCommitter<StateChange, ChangeResult> committer,
      InstantSource clock,
      String owner,
      Duration lease) {
    this.committer = committer;
    this.clock = clock;
    this.owner = owner;
    this.leaseMillis = lease.toMillis();
  }

  /** Starts renewing a lease just claimed. */
  public Held hold(String collection, String key) {
    ensureTimer();
    Held h = new Held(collection, key);
    held.put(new Id(collection, key), h);
    return h;
  }

  /** Stops renewing a lease (its resource was completed, failed or released). */
  public void release(Held h) {
    held.remove(new Id(h.collection, h.key), h);
  }

  /** How many leases are being renewed. */
  public int size() {
    return held.size();
  }

  /** Renews every held lease now; the timer calls this, tests may too. */
  public void renewAll() {
    if (held.isEmpty()) {
      return;
    }
    long until = clock.millis() + leaseMillis;
    List<Held> hs = new ArrayList<>(held.values());
    List<StateChange> renewals = new ArrayList<>(hs.size());
    for (Held h : hs) {
      renewals.add(new Changes.Renew(h.collection, h.key, owner, until));
    }
    try {
      List<ChangeResult> results = committer.apply(renewals);
      for (int i = 0; i < hs.size(); i++) {
        if (results.get(i).outcome() == ChangeResult.Outcome.REFUSED) {
          Held h = hs.get(i);
          if (held.containsKey(new Id(h.collection, h.key))) {
            h.lost = true;
            log.warn("lost the lease on {}/{}: {}", h.collection, h.key, results.get(i).message());
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("lease renewal failed; will retry", e);
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
      timer.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
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
