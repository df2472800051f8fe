package io.cairn.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's threads for work loops (a {@code fetchAll}'s fetchers, a pipeline run's job threads,
 * a worker's job threads, a schedule-only run's outcome follower): one pool per open Cairn, shared
 * by every call, instead of a new pool per call. Threads are made on demand and retire after 30 s
 * idle, so nested calls (a job that calls {@code fetchAll}) never wait for each other; each running
 * loop carries its role's name ({@code cairn-fetch-3}, {@code cairn-job-1}).
 */
public final class WorkLoops implements AutoCloseable {
  private final ThreadPoolExecutor pool;

  WorkLoops() {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "cairn-work-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts {@code n} copies of {@code loop}, named {@code <role>-1} to {@code <role>-n}. */
  public Group start(String role, int n, Runnable loop) {
    Group g = new Group(n);
    for (int i = 1; i <= n; i++) {
      String name = role + "-" + i;
      pool.execute(() -> g.run(name, loop));
    }
    return g;
  }

  /** Interrupts every loop still running; they were each told to stop by their owner first. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The loops of one call: interrupt them, wait for them, see how they failed. */
  public static final class Group {
    private final CountDownLatch done;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean interrupted;

    private Group(int n) {
      this.done = new CountDownLatch(n);
    }

    private void run(String name, Runnable loop) {
      Thread t = Thread.currentThread();
      String was = t.getName();
      t.setName(name);
      running.add(t);
      try {
        if (!interrupted) {
          loop.run();
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        running.remove(t);
        Thread.interrupted(); // an interrupt meant for this loop must not reach the next task
        t.setName(was);
        done.countDown();
      }
    }

    /** Interrupts the loops (those not started yet do not run). */
    public void interrupt() {
      interrupted = true;
      running.forEach(Thread::interrupt);
    }

    /** Waits for every loop to end; returns whether they did within the bound. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
      return done.await(timeout, unit);
    }

    /** Waits for every loop to end. */
    public void await() throws InterruptedException {
      done.await();
    }

    /** The first throwable a loop ended with, or null. */
    public Throwable failure() {
      return failure.get();
    }
  }
}
