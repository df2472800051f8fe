package io.cairn.internal.exec;

import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.WorkSpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link WorkSpec.Script}s as local processes, at most {@code capacity} at once ({@link
 * #start} waits for a slot). Each script runs in a session of its own with its streams pumped to
 * the attempt's output or captured to files, its inputs staged in from blobs and its outputs staged
 * out after an exit 0; a timeout, a cancel or {@link #close()} kills its whole process tree. See
 * {@link ProcessRun} for the threads.
 *
 * <p>Threads it owns: one daemon timer thread ({@code cairn-exec-timer}), started by the first
 * script with a timeout; everything else belongs to one script and ends with it.
 */
public final class LocalProcessExecutor implements ResourceExecutor {
  public static final String NAME = "local-process";
  private static final long CLOSE_WAIT_MS = 10_000;

  private final int capacity;
  private final Semaphore permits;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<ProcessRun> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param capacity how many scripts run at once, 1 to 100,000
   */
  public LocalProcessExecutor(int capacity) {
    if (capacity < 1 || capacity > 100_000) {
      throw new IllegalArgumentException(
          "local-process executor capacity must be between 1 and 100000, got " + capacity);
    }
    this.capacity = capacity;
    this.permits = new Semaphore(capacity);
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "cairn-exec-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true); // a finished script's timeout leaves no garbage behind
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
          "the local-process executor needs a work spec and an attempt, got work="
              + work
              + ", attempt="
              + attempt);
    }
    if (!(work instanceof WorkSpec.Script script)) {
      return refused(
          attempt,
          "the local-process executor runs scripts, not Java functions: run "
              + attempt.name()
              + " on 'in-process'");
    }
    if (closed) {
      return refused(attempt, "the local-process executor is closed");
    }
    ProcessRun run = new ProcessRun(script, attempt, timer);
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
    run.launch();
    if (closed) {
      run.cancel();
    }
    return run;
  }

  private static Execution refused(Attempt attempt, String message) {
    return ExecutionHandle.finished(Outcome.failed(message, null, -1));
  }

  /** Kills every running script's tree and waits for their outcomes (at most 10 s). */
  @Override
  public void close() {
    closed = true;
    Set<ProcessRun> left = Set.copyOf(running);
    left.forEach(ProcessRun::cancel);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    for (ProcessRun r : left) {
      try {
        r.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        // Past the bound: the kill was sent; the outcome completes when the reaper reports it.
      }
    }
    timer.shutdownNow();
  }

  /** A duration as people write it: 200ms, 30s, 5m, 2h. */
  public static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
