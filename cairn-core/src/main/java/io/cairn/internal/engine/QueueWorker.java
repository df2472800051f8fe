package io.cairn.internal.engine;

import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskProgress;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: takes the resources a scheduler queued (QUEUED resources carrying their work spec: a
 * schedule-only pipeline run's jobs, a collection's submitted keys) with {@code claimNext}, and
 * runs them through the face that owns their collection ({@link Job}), on the same attempt runner
 * as {@code cairn run} and {@code fetch}.
 *
 * <p>The calling thread claims: up to twice the worker's threads are held at once (running or
 * claimed ahead, every lease renewed by the engine's lease keeper), so a thread that finishes a job
 * finds the next one waiting. Job threads run a job, submit its outcome to the group committer
 * without waiting, and release the lease once the outcome is durable. When nothing is queued the
 * claimer backs off (up to the poll interval) and looks again.
 *
 * <p>Jobs whose runner process died on this host are put back at once (same-host owners are checked
 * by pid and start time); elsewhere their leases expire, judged by the store's clock, and {@code
 * claimNext} takes them.
 *
 * <p>Stopping (the calling thread interrupted, e.g. SIGTERM): no more claims; jobs claimed ahead
 * are given back at once; running jobs get until the drain bound to finish, then are interrupted
 * and given back. Nothing is left RUNNING under a lease nobody renews.
 *
 * <p>With an idle bound (a worker on a batch system, which must not hold its allocation for
 * nothing), it also stops on its own once it has held nothing and found nothing to claim for that
 * long, by the engine's clock; a worker that holds work never stops for idleness.
 */
public final class QueueWorker {
  private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);

  private final Engine engine;
  private final int threads;
  private final Duration poll;
  private final Duration drain;
  private final Duration idleExit; // null: never
  private final Map<String, Job> byCollection = new LinkedHashMap<>();
  private final BlockingQueue<Claimed> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger held = new AtomicInteger(); // claimed and not yet finished
  private final Object idle = new Object();
  private static final long TARGET_AHEAD_NANOS = 20_000_000;
  private static final int MAX_AHEAD = 1_024;
  private volatile long avgNanos; // of a job's run, updated by the job threads (racy by design)
  private final Map<String, Counts> counts = new LinkedHashMap<>();

  /** How the face owning a collection runs one claimed resource of it. */
  public interface Job {
    /** "pipeline.task" or the collection's name, for the summary. */
    String name();

    /** The version of the code that runs it, recorded with the collection. */
    String version();

    /**
     * Runs the claimed resource whose lease the worker holds, through the attempt runner.
     *
     * @return the outcome to commit, or null when the lease was lost
     * @throws InterruptedException when the worker is stopping (it gives the resource back)
     */
    StateChange run(StoredResource claimed, LeaseKeeper.Held lease) throws InterruptedException;
  }

  private record Claimed(Job job, StoredResource record, LeaseKeeper.Held lease) {}

  private static final long MAX_STORE_BACKOFF_MS = 5_000;
  private final AtomicLong fenced = new AtomicLong();
  private final AtomicLong storeFailures = new AtomicLong();

  private static final class Counts {
    final AtomicLong launched = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong aborted = new AtomicLong();
    final AtomicInteger running = new AtomicInteger();
  }

  /**
   * @param jobs by collection: what this worker runs
   * @param threads jobs running at once
   * @param poll the longest wait between two looks at an empty queue
   * @param drain how long running jobs may take to finish once the worker is stopping
   * @param idleExit how long the worker may hold nothing and find nothing before it stops on its
   *     own, or null to work until interrupted
   */
  public QueueWorker(
      Engine engine,
      Map<String, Job> jobs,
      int threads,
      Duration poll,
      Duration drain,
      Duration idleExit) {
    if (threads < 1 || threads > 10_000) {
      throw new IllegalArgumentException("threads must be 1 to 10000, got " + threads);
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException(
          "a worker needs at least one pipeline or collection to work on");
    }
    this.engine = engine;
    this.threads = threads;
    this.poll = poll;
    this.drain = drain;
    this.idleExit = idleExit;
    jobs.forEach(
        (c, job) -> {
          byCollection.put(c, job);
          engine.store().registerCollection(c, job.version());
          counts.put(c, new Counts());
        });
  }

  /**
   * Works until the calling thread is interrupted (or the worker was idle for the idle bound), then
   * drains.
   *
   * @return what this worker did, per task
   */
  public RunSummary run() {
    long start = System.nanoTime();
    WorkLoops.Group pool = engine.loops().start("cairn-worker", threads, this::work);
    boolean interrupted = false;
    try {
      claimLoop();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      // Stopping: the interrupt that stopped the claims must not cut the drain short.
      interrupted |= Thread.interrupted();
      giveBackQueued();
      try {
        awaitRunning(drain);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      pool.interrupt(); // what still runs is given back by its thread
      try {
        pool.await(Math.max(5_000, engine.lease().toMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      giveBackQueued();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    List<TaskProgress> progress = new ArrayList<>();
    byCollection.forEach(
        (c, t) -> {
          Counts k = counts.get(c);
          progress.add(
              new TaskProgress(
                  t.name(),
                  k.launched.get(),
                  k.completed.get(),
                  k.failed.get(),
                  k.aborted.get(),
                  k.running.get(),
                  0));
        });
    List<String> warnings = new ArrayList<>();
    if (fenced.get() > 0) {
      warnings.add(
          fenced.get()
              + " attempt(s) fenced: their lease was lost before their outcome was stored, so"
              + " another worker's outcome counts");
    }
    if (storeFailures.get() > 0) {
      warnings.add(
          storeFailures.get()
              + " claim(s) failed on the state store and were retried with backoff");
    }
    return new RunSummary(progress, Duration.ofNanos(System.nanoTime() - start), warnings);
  }

  /**
   * How many jobs to hold (running or claimed ahead): about 20 ms of work for every thread, so
   * trivial jobs are claimed (and their outcomes committed) in batches instead of a few at a time,
   * and at least two per thread, so a thread that finishes finds the next job waiting. Long jobs
   * are not hoarded: another worker may be idle.
   */
  private int claimAhead() {
    long avg = avgNanos;
    long perThread = avg <= 0 ? 2 : Math.max(2, TARGET_AHEAD_NANOS / avg);
    return (int) Math.min(MAX_AHEAD, Math.max(2L * threads, perThread * threads));
  }

  /** Waits until no claimed job is left running, or {@code bound} passed. */
  private void awaitRunning(Duration bound) throws InterruptedException {
    long until = System.nanoTime() + bound.toNanos();
    synchronized (idle) {
      while (held.get() > 0) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private void claimLoop() throws InterruptedException {
    Set<String> collections = new LinkedHashSet<>(byCollection.keySet());
    long backoff = 1;
    long storeBackoff = 100;
    long nextSweep = 0;
    long busyAt = engine.now();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      if (System.nanoTime() >= nextSweep) {
        try {
          requeueDeadOwners();
        } catch (RuntimeException e) {
          log.debug("sweeping dead owners failed; the next sweep tries again", e);
        }
        nextSweep = System.nanoTime() + engine.lease().toNanos() / 3;
      }
      int ahead = claimAhead();
      int holding = held.get();
      // Claim again once half of what is held has finished (or a thread is idle), so claims come
      // in batches rather than one job per finished job.
      int room = holding <= ahead / 2 || holding < threads ? ahead - holding : 0;
      int got = 0;
      if (room > 0) {
        long leaseUntil = engine.now() + engine.lease().toMillis();
        List<StoredResource> claimed;
        try {
          claimed = engine.store().claimNext(collections, engine.owner(), room, leaseUntil);
          storeBackoff = 100;
        } catch (RuntimeException e) {
          // The database is away (restarting, unreachable) or refused: the store reconnects on
          // the next try; meanwhile running jobs keep their leases as long as renewals get through.
          storeFailures.incrementAndGet();
          log.warn("claiming failed ({}); retrying in {} ms", e.getMessage(), storeBackoff);
          Thread.sleep(storeBackoff);
          storeBackoff = Math.min(storeBackoff * 2, MAX_STORE_BACKOFF_MS);
          continue;
        }
        for (StoredResource r : claimed) {
          LeaseKeeper.Held lease = engine.leases().hold(r.collection(), r.key(), r.attempts());
          held.incrementAndGet();
          counts.get(r.collection()).launched.incrementAndGet();
          queue.add(new Claimed(byCollection.get(r.collection()), r, lease));
        }
        got = claimed.size();
      }
      if (got > 0 && got == room) {
        backoff = 1;
        continue;
      }
      long now = engine.now();
      if (got > 0 || held.get() > 0) {
        busyAt = now;
      } else if (idleExit != null && now - busyAt >= idleExit.toMillis()) {
        log.info("nothing to claim for {} ms: stopping", now - busyAt);
        return;
      }
      // Nothing (or not enough) queued, or every thread busy: wait for a job to finish, with a
      // growing bound while the queue stays empty.
      backoff = got > 0 ? 1 : Math.min(backoff * 2, poll.toMillis());
      synchronized (idle) {
        idle.wait(Math.max(1, backoff));
      }
    }
  }

  private void work() {
    while (true) {
      Claimed c;
      try {
        c = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      Counts k = counts.get(c.record().collection());
      k.running.incrementAndGet();
      try {
        long t0 = System.nanoTime();
        StateChange outcome = c.lease().lost() ? null : c.job().run(c.record(), c.lease());
        long took = System.nanoTime() - t0;
        avgNanos = avgNanos == 0 ? took : (avgNanos * 7 + took) / 8;
        if (outcome == null) {
          fenced(c, "the lease was lost while it ran");
          finished(c, k);
          continue;
        }
        c.lease().finishing();
        engine
            .committer()
            .submit(List.of(outcome))
            .whenComplete(
                (rs, err) -> {
                  if (err == null) {
                    if (rs.get(0).outcome() == ChangeResult.Outcome.REFUSED) {
                      fenced(c, rs.get(0).message());
                    }
                    count(k, rs.get(0));
                  } else {
                    log.warn("outcome of {} not stored: {}", name(c), err.toString());
                  }
                  finished(c, k);
                });
      } catch (InterruptedException e) {
        engine.giveBack(c.record());
        finished(c, k);
        return;
      } catch (RuntimeException e) {
        log.warn("job {} could not run: {}", name(c), e.toString());
        engine.giveBack(c.record());
        finished(c, k);
      }
    }
  }

  /**
   * An attempt whose lease another owner took over (this process paused, or cut off from the
   * database, longer than the lease): its outcome is not stored, the new owner's is.
   */
  private void fenced(Claimed c, String why) {
    fenced.incrementAndGet();
    log.warn("fenced: outcome of {} not stored: {}", name(c), why);
  }

  private static void count(Counts k, ChangeResult r) {
    if (!r.applied()) {
      return;
    }
    switch (r.status()) {
      case COMPLETED -> k.completed.incrementAndGet();
      case ERROR -> k.failed.incrementAndGet();
      case ABORTED -> {
        k.failed.incrementAndGet();
        k.aborted.incrementAndGet();
      }
      default -> {}
    }
  }

  private void finished(Claimed c, Counts k) {
    k.running.decrementAndGet();
    released(c);
  }

  private void released(Claimed c) {
    engine.leases().release(c.lease());
    held.decrementAndGet();
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  private static String name(Claimed c) {
    return c.record().collection() + "/" + c.record().key();
  }

  private void giveBackQueued() {
    Claimed c;
    while ((c = queue.poll()) != null) {
      engine.giveBack(c.record());
      released(c); // claimed ahead, never started: it was not counted as running
    }
  }

  /**
   * Puts back to QUEUED the jobs held by runner processes of this host that are gone (killed, or
   * crashed), so they run now instead of when their lease expires.
   */
  private void requeueDeadOwners() {
    long now = engine.now();
    for (String c : byCollection.keySet()) {
      String cursor = null;
      do {
        var page = engine.store().keys(c, io.cairn.Status.RUNNING, cursor, 1_000);
        List<StateChange> back = new ArrayList<>();
        for (StoredResource r : engine.store().getAll(c, page.items()).values()) {
          if (r.status() == io.cairn.Status.RUNNING
              && r.owner() != null
              && !r.owner().equals(engine.owner())
              && OwnerIds.isGone(r.owner())) {
            back.add(new Changes.Release(c, r.key(), r.owner(), r.attempts(), now));
          }
        }
        if (!back.isEmpty()) {
          engine.committer().apply(back);
          log.info("{} job(s) of {} held by dead runners put back in the queue", back.size(), c);
        }
        cursor = page.nextCursor();
      } while (cursor != null);
    }
  }
}
