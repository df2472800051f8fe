package io.cairn.internal.engine;

import io.cairn.CairnException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit by leader and followers: changes submitted from many threads are written many
 * submissions per transaction, and a caller that waits commits on its own thread.
 *
 * <p>Protocol. Every submission joins one queue under {@link #lock}. At most one thread at a time
 * commits (the <em>leader</em>, {@link #committing} set): it takes everything queued (up to {@link
 * #MAX_CHANGES_PER_COMMIT} changes), releases the lock, hands it to the store's batch write (for
 * example {@code StateStore.apply}) as one transaction, and only when that returns (the transaction
 * is durable) completes the submitters' futures. No timer delays a commit: while one transaction
 * runs, the next batch accumulates by itself, so batches grow exactly when load is high.
 *
 * <p>Who leads. A caller of {@link #apply} that finds no leader leads at once, on its own thread: a
 * lone caller pays no thread hand-off. One that finds a leader waits (a follower); when that
 * leader's transaction ends it wakes the waiters, those whose changes it wrote return, and the
 * first still waiting leads the next batch. Asynchronous {@link #submit}s have no waiting thread,
 * so one daemon <em>drainer</em> thread, started by the first of them, leads when async work is
 * queued and nobody leads; a process that only ever calls {@code apply} never starts it.
 *
 * <p>If a combined transaction fails with a {@link RuntimeException}, each submission is retried
 * alone so that one bad change fails only its own submitter.
 *
 * <p>Any other {@link Throwable} (an {@code AssertionError} or {@code StackOverflowError} from a
 * change, an {@code OutOfMemoryError}) breaks the committer: the store has rolled the transaction
 * back, the batch's futures and every waiting submission fail with that cause, the drainer ends,
 * and every later {@link #submit} throws at once saying the committer is broken and why. Nothing
 * ever waits on a leader that is gone. The owner must be closed and reopened.
 *
 * <p>{@link #close} commits what was submitted before it, bounded by a timeout; if a leader is
 * still busy then, the futures still pending fail rather than hang (their waiting callers wake).
 */
public final class GroupCommitter<C, R> implements AutoCloseable {
  static final int MAX_CHANGES_PER_COMMIT = 4096;
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  private record Submission<C, R>(
      List<? extends C> changes, CompletableFuture<List<R>> done, boolean async) {}

  private final Function<List<C>, List<R>> store;
  private final String threadName;
  private final Duration closeTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  // Signalled when a transaction ends or the committer closes or breaks: followers re-check.
  private final Condition turn = lock.newCondition();
  // Signalled when async work may need the drainer.
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Submission<C, R>> queue = new ArrayDeque<>(); // guarded by lock
  private int asyncQueued; // guarded by lock
  private int followers; // guarded by lock: callers waiting in apply
  private boolean committing; // guarded by lock: a leader is between taking a batch and done
  private Thread drainer; // guarded by lock
  private boolean closed; // guarded by lock
  private Throwable broken; // guarded by lock
  // The batch being written, so that a close that gives up waiting can fail its futures.
  private List<Submission<C, R>> inFlight = List.of(); // guarded by lock

  /**
   * @param threadName the drainer thread's name (and the committer's in messages)
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
   * Submits changes without waiting; the future completes once they are durable, with one result
   * per change. The drainer thread (or a waiting caller that leads meanwhile) commits them, and
   * completes the future on its own thread: callbacks attached to it must be quick and must never
   * write through this committer (a callback that waited for a commit would wait on the leader
   * running it).
   *
   * @throws IllegalStateException if the committer is closed
   * @throws CairnException if the committer is broken (see the class comment)
   */
  public CompletableFuture<List<R>> submit(List<? extends C> changes) {
    CompletableFuture<List<R>> done = new CompletableFuture<>();
    if (changes.isEmpty()) {
      done.complete(List.of());
      return done;
    }
    lock.lock();
    try {
      checkOpen();
      if (drainer == null) {
        drainer = new Thread(this::drain, threadName);
        drainer.setDaemon(true);
        drainer.start();
      }
      queue.add(new Submission<>(changes, done, true));
      asyncQueued++;
      if (!committing) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
    return done;
  }

  /**
   * Submits and waits until the changes are durable, committing them on this thread when no other
   * thread is committing.
   *
   * @throws IllegalStateException if the committer is closed
   * @throws CairnException if the committer is broken
   */
  public List<R> apply(List<? extends C> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    Submission<C, R> mine = new Submission<>(changes, new CompletableFuture<>(), false);
    lock.lock();
    try {
      checkOpen();
      queue.add(mine);
      // Interrupts are not for us: like the join this replaces, waiting for durability is not
      // cancellable, so an interrupt is kept for the caller to see afterwards.
      while (!mine.done.isDone()) {
        if (!committing && broken == null) {
          lead();
        } else {
          followers++;
          try {
            turn.awaitUninterruptibly();
          } finally {
            followers--;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    try {
      return mine.done.join();
    } catch (CompletionException e) {
      throw unwrap(e);
    }
  }

  /** Submits one change and waits until it is durable. */
  public R apply(C change) {
    return apply(List.of(change)).get(0);
  }

  /** Why the committer broke, if it did. */
  public Optional<Throwable> brokenBy() {
    lock.lock();
    try {
      return Optional.ofNullable(broken);
    } finally {
      lock.unlock();
    }
  }

  /** How many callers wait for a leader now; tests use it to know a follower has arrived. */
  int followersForTest() {
    lock.lock();
    try {
      return followers;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (broken != null) {
      throw brokenException(broken);
    }
    if (closed) {
      throw new IllegalStateException("Cairn is closed");
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

  /**
   * Commits one batch of what is queued, on the calling thread. Called and returns with the lock
   * held; the transaction itself runs without it.
   */
  private void lead() {
    List<Submission<C, R>> batch = new ArrayList<>();
    List<C> changes = new ArrayList<>();
    Submission<C, R> next;
    while ((changes.isEmpty() || changes.size() < MAX_CHANGES_PER_COMMIT)
        && (next = queue.poll()) != null) {
      batch.add(next);
      changes.addAll(next.changes);
      if (next.async) {
        asyncQueued--;
      }
    }
    committing = true;
    inFlight = batch;
    Throwable error = null;
    lock.unlock();
    // A caller's interrupt must not abort the store's busy waits for the whole batch.
    boolean interrupted = Thread.interrupted();
    try {
      commit(batch, changes);
    } catch (Throwable t) { // an Error must not leave followers waiting on a batch that is gone
      error = t;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      lock.lock();
      committing = false;
      inFlight = List.of();
    }
    if (error != null) {
      breakDown(batch, error);
    }
    if (followers > 0) {
      turn.signalAll();
    }
    if (asyncQueued > 0 || closed) {
      work.signal();
    }
  }

  /** The drainer: leads whenever async work is queued and nobody else leads, until closed. */
  private void drain() {
    lock.lock();
    try {
      while (broken == null) {
        if (!committing && !queue.isEmpty() && (asyncQueued > 0 || closed)) {
          lead();
        } else if (closed && queue.isEmpty() && !committing) {
          return;
        } else {
          work.awaitUninterruptibly();
        }
      }
    } finally {
      turn.signalAll(); // close() waits on turn for the queue to empty
      lock.unlock();
    }
  }

  /**
   * Writes one batch. A RuntimeException fails only the submissions that caused it; anything else
   * propagates to {@link #lead}, which breaks the committer.
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

  /**
   * Marks the committer broken and fails the batch and everything waiting, with the cause. Called
   * with the lock held.
   */
  private void breakDown(List<Submission<C, R>> batch, Throwable cause) {
    broken = cause;
    List<Submission<C, R>> waiting = new ArrayList<>(queue);
    queue.clear();
    asyncQueued = 0;
    log.error(
        "commit thread '{}' is broken; every later write fails: close and reopen the Cairn",
        threadName,
        cause);
    for (Submission<C, R> s : batch) {
      s.done.completeExceptionally(cause);
    }
    for (Submission<C, R> s : waiting) {
      s.done.completeExceptionally(brokenException(cause));
    }
    turn.signalAll();
    work.signalAll();
  }

  /**
   * Commits everything submitted so far, then stops the drainer. Waits at most the close timeout
   * (30 s); what is still pending then fails with an exception saying so.
   */
  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      t = drainer;
      if (broken != null) {
        return;
      }
      // Queued submissions all have a driver (their waiting caller, or the drainer, which now
      // also takes work queued by callers that went away); wait for them to be written.
      work.signal();
      long deadline = System.nanoTime() + Math.max(1, closeTimeout.toNanos());
      while ((committing || !queue.isEmpty()) && broken == null) {
        if (t == null && !committing) {
          lead(); // only sync callers' work is queued and none leads: write it here
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          failPending();
          return;
        }
        followers++;
        try {
          turn.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failPending();
          return;
        } finally {
          followers--;
        }
      }
      work.signalAll();
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Close gave up waiting: fails what is queued or being written, and wakes their callers. */
  private void failPending() {
    List<Submission<C, R>> pending = new ArrayList<>(inFlight);
    pending.addAll(queue);
    queue.clear();
    asyncQueued = 0;
    CairnException timedOut =
        new CairnException(
            "Cairn closed while the commit thread '"
                + threadName
                + "' was still writing after "
                + closeTimeout.toMillis()
                + " ms; this write may not be durable: check its status after reopening");
    int failed = 0;
    for (Submission<C, R> s : pending) {
      if (s.done.completeExceptionally(timedOut)) {
        failed++;
      }
    }
    turn.signalAll();
    work.signalAll();
    log.warn(
        "commit thread '{}' did not stop within {} ms; failed {} pending writes",
        threadName,
        closeTimeout.toMillis(),
        failed);
  }
}
