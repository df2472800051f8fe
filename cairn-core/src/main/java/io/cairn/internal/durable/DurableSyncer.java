package io.cairn.internal.durable;

import io.cairn.internal.engine.CloseAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-behind of one Cairn's maps and trackers: one thread ("cairn-durable-sync") that flushes
 * each member when it has enough pending writes or its oldest one is old enough, and a JVM shutdown
 * hook that flushes everything on normal exit and on SIGTERM/SIGINT.
 */
public final class DurableSyncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DurableSyncer.class);

  private final Set<Syncable> members = ConcurrentHashMap.newKeySet();
  private final Object signal = new Object();
  private boolean requested; // guarded by signal
  private boolean closed; // guarded by signal
  private Thread thread; // guarded by signal
  private Thread hook; // guarded by signal

  void register(Syncable member) {
    synchronized (signal) {
      if (closed) {
        throw new IllegalStateException("Cairn is closed");
      }
      members.add(member);
      if (thread == null) {
        thread = new Thread(this::run, "cairn-durable-sync");
        thread.setDaemon(true);
        thread.start();
        hook = new Thread(this::syncAll, "cairn-durable-shutdown-sync");
        Runtime.getRuntime().addShutdownHook(hook);
      }
    }
  }

  /** Wakes the sync thread: a member may have reached its pending limit. */
  void request() {
    synchronized (signal) {
      requested = true;
      signal.notifyAll();
    }
  }

  private void run() {
    while (true) {
      long next = Long.MAX_VALUE;
      long now = System.nanoTime();
      for (Syncable m : members) {
        try {
          next = Math.min(next, m.syncIfDue(now));
        } catch (RuntimeException e) {
          log.warn("write-behind sync failed; will retry", e);
          next = Math.min(next, now + TimeUnit.SECONDS.toNanos(1));
        }
      }
      synchronized (signal) {
        if (closed) {
          return;
        }
        if (!requested) {
          long waitNanos =
              next == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(60) : next - System.nanoTime();
          if (waitNanos > 0) {
            try {
              TimeUnit.NANOSECONDS.timedWait(signal, waitNanos);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
        requested = false;
      }
    }
  }

  /** Flushes every member now (close, shutdown hook). */
  public void syncAll() {
    for (Syncable m : members) {
      try {
        m.sync();
      } catch (RuntimeException e) {
        log.warn("sync failed", e);
      }
    }
  }

  /**
   * Flushes everything, stops the thread and removes the shutdown hook. The thread is stopped and
   * the hook removed even if a flush fails; the first flush failure is then rethrown (the others
   * suppressed in it), so pending writes that could not be written are not lost silently.
   */
  @Override
  public void close() {
    Thread t;
    Thread h;
    synchronized (signal) {
      if (closed) {
        return;
      }
      closed = true;
      signal.notifyAll();
      t = thread;
      h = hook;
    }
    List<AutoCloseable> flushes = new ArrayList<>();
    for (Syncable m : members) {
      flushes.add(m::sync);
    }
    try {
      CloseAll.run(flushes.toArray(AutoCloseable[]::new));
    } finally {
      if (t != null) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (h != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(h);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook is running or ran
        }
      }
    }
  }
}
