package io.cairn.internal.exec;

import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.WorkSpec;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link WorkSpec.Call}s in this JVM by calling the attempt's {@link Attempt#body()}.
 *
 * <p>Threads: a pooled executor runs each attempt on a thread named {@code cairn-exec-<n>}: a
 * virtual thread per attempt where the JVM has them (looked up reflectively, as Cairn targets Java
 * 17), else a pool of at most {@code capacity} daemon platform threads that retire when idle. A
 * semaphore of {@code capacity} permits bounds both: {@link #start} waits for a permit. The {@link
 * #callerThread()} executor instead runs the body on the thread that calls {@code start}, so a
 * user's {@code fetch()} pays no hand-off.
 *
 * <p>A body that ends by throwing {@link InterruptedException} was cancelled: the outcome is
 * CANCELLED. Cancel interrupts the attempt's thread while the body runs (and only then: the running
 * thread is registered and unregistered under the execution's lock, so an interrupt never lands on
 * a thread that has moved on). Once cancel was called the outcome is CANCELLED, whatever the body
 * then returns or throws; an attempt cancelled before its thread picked it up never runs.
 */
public final class InProcessExecutor implements ResourceExecutor {
  public static final String NAME = "in-process";
  private static final long CLOSE_WAIT_MS = 10_000;

  private final int capacity;
  private final Semaphore permits;
  private final Executor threads;
  private final ThreadPoolExecutor pool;
  private final Set<Run> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * A pooled executor.
   *
   * @param capacity how many attempts run at once, 1 to 100,000
   */
  public InProcessExecutor(int capacity) {
    if (capacity < 1 || capacity > 100_000) {
      throw new IllegalArgumentException(
          "in-process executor capacity must be between 1 and 100000, got " + capacity);
    }
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
    ThreadFactory virtual = VirtualThreads.factory("cairn-exec-");
    if (virtual != null) {
      this.pool = null;
      this.threads = r -> virtual.newThread(r).start();
    } else {
      AtomicLong n = new AtomicLong();
      this.pool =
          new ThreadPoolExecutor(
              capacity,
              capacity,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "cairn-exec-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      this.threads = pool;
    }
  }

  private InProcessExecutor() {
    this.capacity = Integer.MAX_VALUE;
    this.permits = null;
    this.threads = null;
    this.pool = null;
  }

  /**
   * An executor that runs each attempt synchronously on the thread calling {@link #start}: the
   * returned execution is already finished. {@link Execution#cancel()} from another thread
   * interrupts the caller while the body runs; the interrupt it caused is cleared before {@code
   * start} returns. Its capacity is unbounded (each caller brings its own thread).
   */
  public static InProcessExecutor callerThread() {
    return new InProcessExecutor();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public Execution start(WorkSpec work, Attempt attempt) {
    if (work == null || attempt == null) {
      throw new IllegalArgumentException(
          "the in-process executor needs a work spec and an attempt, got work="
              + work
              + ", attempt="
              + attempt);
    }
    if (!(work instanceof WorkSpec.Call call)) {
      return ExecutionHandle.finished(
          Outcome.failed(
              "the in-process executor runs Java functions, not scripts: run "
                  + attempt.name()
                  + " on 'local-process' or another executor that runs scripts",
              null,
              -1));
    }
    if (attempt.body() == null) {
      return ExecutionHandle.finished(
          Outcome.failed(
              "no Java function '"
                  + call.function()
                  + "' is registered in this JVM: register it here, or run "
                  + attempt.name()
                  + " where it is",
              null,
              -1));
    }
    if (closed) {
      return ExecutionHandle.finished(
          Outcome.failed("the in-process executor is closed", null, -1));
    }
    Run run = new Run(attempt);
    if (threads == null) {
      run.run();
      return run;
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.finish(Outcome.cancelled());
      return run;
    }
    running.add(run);
    run.outcome()
        .whenComplete(
            (o, t) -> {
              if (running.remove(run)) {
                permits.release();
              }
            });
    try {
      threads.execute(run);
    } catch (RuntimeException e) { // rejected: shut down by a concurrent close
      run.finish(Outcome.failed("the in-process executor is closed", e, -1));
    }
    if (closed) {
      run.cancel();
    }
    return run;
  }

  /** Cancels what runs and waits for it (at most 10 s), then stops the pool. */
  @Override
  public void close() {
    closed = true;
    if (threads == null) {
      return;
    }
    Set<Run> left = Set.copyOf(running);
    left.forEach(Run::cancel);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    for (Run r : left) {
      try {
        r.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // A body that ignores interrupts past the bound: its thread is abandoned (daemon).
      }
    }
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One attempt: its body, and the thread running it while it runs. */
  private static final class Run extends ExecutionHandle implements Runnable {
    private final Callable<Object> body;
    private Thread thread; // guarded by this
    private boolean cancelRequested; // guarded by this

    Run(Attempt attempt) {
      this.body = attempt.body();
    }

    @Override
    public void run() {
      synchronized (this) {
        if (isDone()) {
          return;
        }
        thread = Thread.currentThread();
      }
      Outcome o;
      try {
        o = Outcome.succeeded(body.call(), -1);
      } catch (InterruptedException e) {
        // Only a cancel, a lost lease or a stopping run interrupts an attempt's thread (on the
        // caller's thread the engine interrupts it directly): that is a cancel, not a failure.
        o = Outcome.cancelled();
      } catch (Throwable t) { // an Error too: the outcome must complete, and carries it
        o = Outcome.failed(oneLine(t), t, -1);
      }
      boolean interruptedByUs;
      synchronized (this) {
        thread = null;
        interruptedByUs = cancelRequested;
      }
      if (interruptedByUs) {
        Thread.interrupted();
        o = Outcome.cancelled();
      }
      finish(o);
    }

    @Override
    public void cancel() {
      synchronized (this) {
        if (isDone() || cancelRequested) {
          return;
        }
        cancelRequested = true;
        if (thread != null) {
          thread.interrupt();
          return;
        }
      }
      finish(Outcome.cancelled());
    }
  }

  /** The failure as one line: the exception's message, or its type when it has none. */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    String s = m == null || m.isBlank() ? t.getClass().getName() : m;
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
