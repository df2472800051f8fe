package io.cairn.internal.engine;

import io.cairn.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>If a combined transaction fails, each submission is retried alone so that one bad change fails
 * only its own submitter.
 */
public final class GroupCommitter<C, R> implements AutoCloseable {
  static final int MAX_CHANGES_PER_COMMIT = 4096;
  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  private record Submission<C, R>(List<? extends C> changes, CompletableFuture<List<R>> done) {}

  private final Submission<C, R> stopMarker =
      new Submission<>(List.of(), new CompletableFuture<>());
  private final Function<List<C>, List<R>> store;
  private final String threadName;
  private final BlockingQueue<Submission<C, R>> queue = new LinkedBlockingQueue<>();
  private final Object lifecycle = new Object();
  private Thread thread; // guarded by lifecycle
  private boolean closed; // guarded by lifecycle

  /**
   * @param threadName the commit thread's name
   * @param store applies a batch of changes in one transaction, one result per change
   */
  public GroupCommitter(String threadName, Function<List<C>, List<R>> store) {
    this.store = store;
    this.threadName = threadName;
  }

  /** Submits changes; the future completes once they are durable, with one result per change. */
  public CompletableFuture<List<R>> submit(List<? extends C> changes) {
    CompletableFuture<List<R>> done = new CompletableFuture<>();
    if (changes.isEmpty()) {
      done.complete(List.of());
      return done;
    }
    // Under the lifecycle lock so that nothing is enqueued behind close()'s STOP marker.
    synchronized (lifecycle) {
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

  static RuntimeException unwrap(CompletionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new CairnException("write failed: " + cause, cause);
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
      batch.clear();
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
      commit(batch, changes);
      if (stop) {
        return;
      }
    }
  }

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

  /** Commits everything submitted so far, then stops the commit thread (bounded wait). */
  @Override
  public void close() {
    Thread t;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
      if (t == null) {
        return;
      }
      queue.add(stopMarker);
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.warn("commit thread did not stop within 30 s; pending writes may be lost");
    }
  }
}
