package io.cairn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: a shutdown hook interrupts the thread that created this
 * (the runner stops when its thread is interrupted) and waits, at most {@link #WAIT_SECONDS}, until
 * {@link #close} says the command is done, so the home is closed cleanly before the JVM exits.
 * Create it before opening the home and close it after closing the home.
 */
final class StopOnSignal implements AutoCloseable {
  static final long WAIT_SECONDS = 10;

  private final Thread worker = Thread.currentThread();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean signalled;
  private final long waitSeconds;

  StopOnSignal() {
    this(WAIT_SECONDS);
  }

  /** Waits up to {@code waitSeconds} after a signal for the command to finish. */
  StopOnSignal(long waitSeconds) {
    this.waitSeconds = waitSeconds;
    hook = new Thread(this::stop, "cairn-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void stop() {
    signalled = true;
    worker.interrupt();
    try {
      done.await(waitSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a signal asked the command to stop. */
  boolean signalled() {
    return signalled;
  }

  /**
   * After the interrupted run returned: clears the thread's interrupt flag so closing the home is
   * not cut short, and says whether a signal stopped the run.
   */
  boolean acknowledge() {
    boolean interrupted = Thread.interrupted();
    return signalled || interrupted;
  }

  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running and now returns
    }
  }
}
