package io.cairn.spi;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Starts attempts and reports their outcomes. An executor only runs work: the lease, the status,
 * the log and the result stay with the engine, which claims the resource, calls {@link #start},
 * writes the outcome once the returned {@link Execution} finishes, and calls {@link
 * Execution#cancel()} when the lease is lost or the run stops.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #start} never waits for the work to finish; it may wait for capacity. Every started
 *       execution finishes exactly once: with a value, a failure, or as cancelled.
 *   <li>{@link Execution#cancel()} is idempotent and prompt: a script's whole process tree is
 *       killed, a Java function's thread is interrupted.
 *   <li>An executor that cannot run a kind of {@link WorkSpec} (a remote one given a Java {@link
 *       WorkSpec.Call}) fails the execution with a message saying so.
 *   <li>Thread-safe; {@link #close()} cancels what still runs and waits for it, with a bound.
 * </ul>
 */
public interface ResourceExecutor extends AutoCloseable {

  /** A short name for logs and status ("in-process", "local-process", "ssh:host"). */
  String name();

  /** Starts one attempt. */
  Execution start(WorkSpec work, Attempt attempt);

  /** How many attempts it runs at once; a scheduler claims about this many ahead. */
  int capacity();

  @Override
  void close();

  /** What the engine gives an executor for one attempt, besides its {@link WorkSpec}. */
  interface Attempt {
    /** "collection/key" and attempt number, for thread names and messages. */
    String name();

    /** The engine-resolved body of a {@link WorkSpec.Call} in this JVM, or {@code null}. */
    Callable<Object> body();

    /** A line a script wrote to stdout or stderr (when not captured to a file). */
    void output(boolean stderr, String line);

    /**
     * A line the executor itself has to say about the attempt (a script that exited while something
     * it started still holds its output open); default: dropped.
     */
    default void note(String line) {}

    /** The attempt's working directory (created by the engine), for a script. */
    Path workDir();

    /** Where blobs are staged in from and out to. */
    BlobStore blobs();
  }

  /** One started attempt. */
  interface Execution {
    /** Completes when the attempt ends; never completes exceptionally. */
    CompletableFuture<Outcome> outcome();

    /** Stops the attempt; idempotent. */
    void cancel();
  }

  /**
   * How an attempt ended.
   *
   * @param kind how
   * @param value the function's return value on success (a script's: {@code null})
   * @param exitCode a script's exit code, or -1
   * @param message a one-line description of a failure, or {@code null}
   * @param error the exception of a failure, or {@code null}
   */
  record Outcome(Kind kind, Object value, int exitCode, String message, Throwable error) {
    /** How an attempt ended. */
    public enum Kind {
      SUCCEEDED,
      FAILED,
      TIMED_OUT,
      CANCELLED
    }

    public static Outcome succeeded(Object value, int exitCode) {
      return new Outcome(Kind.SUCCEEDED, value, exitCode, null, null);
    }

    public static Outcome failed(String message, Throwable error, int exitCode) {
      return new Outcome(Kind.FAILED, null, exitCode, message, error);
    }

    public static Outcome timedOut(String message) {
      return new Outcome(Kind.TIMED_OUT, null, -1, message, null);
    }

    public static Outcome cancelled() {
      return new Outcome(Kind.CANCELLED, null, -1, "cancelled", null);
    }
  }
}
