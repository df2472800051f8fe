package io.cairn.internal.engine;

import io.cairn.CairnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: changes submitted from many threads are written by one thread, many submissions per
 * transaction.
 *
 * <p>Protocol. A submitter enqueues its changes with a future and (usually) waits for it. The
 * commit thread takes the first waiting submission, drains whatever else is waiting (up to {@link
 * #MAX_CHANGES_PER_COMMIT}), and hands all of it to the store's batch write (for example {@code
 * StateStore.apply}) as one transaction. Only when that returns (the transaction is durable) are
 * the submitters' futures completed. No timer delays a commit: while one transaction runs, the next
 * batch accumulates by itself, so batches grow exactly when load is high.
 *
 * <p>If a combined transaction fails with a {@link RuntimeException}, each submission is retried
 * alone so that one bad change fails only its own submitter.
 *
 * <p>Any other {@link Throwable} (an {@code AssertionError} or {@code StackOverflowError} from a
 * change, an {@code OutOfMemoryError}) breaks the committer: the store has rolled the transaction
 * back, the batch's futures and every waiting submission fail with that cause, the commit thread
 * ends, and every later {@link #submit} throws at once saying the commit thread is broken and why.
 * Nothing ever waits on a thread that is gone. The owner must be closed and reopened.
 *
 * <p>{@link #close} commits what was submitted before it, bounded by a timeout; if the commit
 * thread is still busy then, the futures still pending fail rather than hang.
 */
public final class GroupCommitter<C, R> implements AutoCloseable {
  static final int MAX_CHANGES_PER_COMMIT = 4096;
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  private record Submission<C, R>(List<? extends C> changes, CompletableFuture<List<R>> done) {}

  private final Submission<C, R> stopMarker =
      new Submission<>(List.of(), new CompletableFuture<>());
  private final Function<List<C>, List<R>> store;
  private final String threadName;
  private final Duration closeTimeout;
  private final BlockingQueue<Submission<C, R>> queue = new LinkedBlockingQueue<>();
  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle
  private Throwable broken; // guarded by lifecycle
  // The batch being written, so that a close that gives up waiting can fail its futures.
  private volatile List<Submission<C, R>> inFlight = List.of();

  /**
   * @param threadName the commit thread's name
   * @param store applies a batch of changes in one transaction, one result per change
   */
  public GroupCommitter(String threadName, Function<List<C>, List<R>> store) {
    this(threadName, store, DEFAULT_CLOSE_TIMEOUT);
  }

  GroupCommitter(String threadName, Function<List<C>, List<R>> store, Duration closeTimeout) {
    this.store = store;
    this.threadName = threadName;
    this.closeTimeout = closeTimeout;
  }

  /**
   * Submits changes; the future completes once they are durable, with one result per change.
   *
   * @throws IllegalStateException if the committer is closed
   * @throws CairnException if the commit thread is broken (see the class comment)
   */
  public CompletableFuture<List<R>> submit(List<? extends C> changes) {
    CompletableFuture<List<R>> done = new CompletableFuture<>();
    if (changes.isEmpty()) {
      done.complete(List.of());
      return done;
    }
    // Under the lifecycle lock so that nothing is enqueued behind close()'s STOP marker or after
    // the committer broke (whose queue is drained under this lock).
    synchronized (lifecycle) {
      if (broken != null) {
        throw brokenException(broken);
      }
      if (closed) {
        throw new IllegalStateException("Cairn is closed");
      }
      if (thread == null) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
      }
      queue.add(new Submission<>(changes, done));
    }
    return done;
  }

  /** Submits and waits until the changes are durable. */
  public List<R> apply(List<? extends C> changes) {
    try {
      return submit(changes).join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  /** Submits one change and waits until it is durable. */
  public R apply(C change) {
    return apply(List.of(change)).get(0);
  }

  /** Why the commit thread broke, if it did. */
  public java.util.Optional<Throwable> brokenBy() {
    synchronized (lifecycle) {
      return java.util.Optional.ofNullable(broken);
    }
  }

  static RuntimeException unwrap(CompletionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new CairnException("write failed: " + firstLine(cause), cause);
  }

  private CairnException brokenException(Throwable cause) {
    return new CairnException(
        "the commit thread '"
            + threadName
            + "' is broken by "
            + firstLine(cause)
            + "; nothing more can be written: close this Cairn and open it again",
        cause);
  }

  private static String firstLine(Throwable t) {
    String s = String.valueOf(t);
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private void run() {
    List<Submission<C, R>> batch = new ArrayList<>();
    List<C> changes = new ArrayList<>();
    while (true) {
      Submission<C, R> first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (first == stopMarker) {
        return;
      }
      batch = new ArrayList<>();
      changes.clear();
      batch.add(first);
      changes.addAll(first.changes);
      boolean stop = false;
      Submission<C, R> next;
      while (changes.size() < MAX_CHANGES_PER_COMMIT && (next = queue.poll()) != null) {
        if (next == stopMarker) {
          stop = true;
          break;
        }
        batch.add(next);
        changes.addAll(next.changes);
      }
      inFlight = batch;
      try {
        commit(batch, changes);
      } catch (Throwable t) { // an Error must not end this thread with its callers waiting
        breakDown(batch, t);
        return;
      } finally {
        inFlight = List.of();
      }
      if (stop) {
        return;
      }
    }
  }

  /**
   * Writes one batch. A RuntimeException fails only the submissions that caused it; anything else
   * propagates to {@link #run}, which breaks the committer.
   */
  private void commit(List<Submission<C, R>> batch, List<C> changes) {
    try {
      List<R> results = store.apply(changes);
      int i = 0;
      for (Submission<C, R> s : batch) {
        int n = s.changes.size();
        s.done.complete(List.copyOf(results.subList(i, i + n)));
        i += n;
      }
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).done.completeExceptionally(e);
        return;
      }
      log.debug("group commit of {} submissions failed; retrying one by one", batch.size(), e);
      for (Submission<C, R> s : batch) {
        try {
          s.done.complete(store.apply(new ArrayList<C>(s.changes)));
        } catch (RuntimeException single) {
          s.done.completeExceptionally(single);
        }
      }
    }
  }

  /** Marks the committer broken and fails the batch and everything waiting, with the cause. */
  private void breakDown(List<Submission<C, R>> batch, Throwable cause) {
    List<Submission<C, R>> waiting = new ArrayList<>();
    synchronized (lifecycle) {
      broken = cause;
      queue.drainTo(waiting);
    }
    log.error(
        "commit thread '{}' is broken; every later write fails: close and reopen the Cairn",
        threadName,
        cause);
    for (Submission<C, R> s : batch) {
      s.done.completeExceptionally(cause);
    }
    for (Submission<C, R> s : waiting) {
      if (s != stopMarker) {
        s.done.completeExceptionally(brokenException(cause));
      }
    }
  }

  /**
   * Commits everything submitted so far, then stops the commit thread. Waits at most the close
   * timeout (30 s); what is still pending then fails with an exception saying so.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
      if (t == null || broken != null) {
        return;
      }
      queue.add(stopMarker);
    }
    try {
      t.join(Math.max(1, closeTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      List<Submission<C, R>> pending = new ArrayList<>(inFlight);
      queue.drainTo(pending);
      CairnException timedOut =
          new CairnException(
              "Cairn closed while the commit thread '"
                  + threadName
                  + "' was still writing after "
                  + closeTimeout.toMillis()
                  + " ms; this write may not be durable: check its status after reopening");
      int failed = 0;
      for (Submission<C, R> s : pending) {
        if (s != stopMarker && s.done.completeExceptionally(timedOut)) {
          failed++;
        }
      }
      log.warn(
          "commit thread '{}' did not stop within {} ms; failed {} pending writes",
          threadName,
          closeTimeout.toMillis(),
          failed);
    }
  }
}
