package io.cairn.internal.engine;

import io.cairn.CairnException;
import io.cairn.internal.json.Json;
import io.cairn.spi.BlobStore;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import io.cairn.spi.WorkSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.slf4j.event.Level;

/**
 * Runs one attempt of a claimed resource, the same way for collections, pipelines and every
 * executor, and returns the change that records its outcome.
 *
 * <p>The protocol, in order:
 *
 * <ol>
 *   <li>The caller claimed the resource and holds its lease ({@link LeaseKeeper#hold}) from the
 *       claim's commit; from now on a lost lease interrupts the attempt's thread (a script's
 *       process tree is killed by its executor).
 *   <li>The body runs. Its result must be storable JSON within the engine's size limit.
 *   <li>Only if the lease is still ours are the attempt's staged outputs published ({@link
 *       Body#publish}); the caller commits the fenced {@link Changes.Complete} right after, and
 *       releases the lease once that commit is durable.
 *   <li>A failure (an exception, an unstorable result) becomes a fenced {@link Changes.Fail}
 *       (ABORTED on the last allowed try), with the failure noted in the attempt's log.
 *   <li>A lost lease means another owner has the resource: the attempt writes nothing and says so
 *       in its log ({@code null} is returned).
 *   <li>An interrupt while the lease is still ours means the caller is stopping: {@link
 *       InterruptedException} goes up, and the caller gives the resource back.
 * </ol>
 *
 * <p>Whatever happens, {@link Body#cleanup} runs and the log is closed before this returns.
 */
public final class AttemptRunner {

  /** The attempt's log, as the engine writes to it. */
  public interface Log extends AutoCloseable {
    /** An engine note (failure, result not stored). */
    void note(Level level, String message, Throwable error);

    /** The attempt lost its lease and wrote nothing. */
    void noteCancelled();

    @Override
    void close();
  }

  /** What differs between faces: what runs, and what happens to its outputs. */
  public interface Body {
    /**
     * Runs the attempt's work on the calling thread (through its executor) and returns its value.
     */
    Object run() throws Exception;

    /** Makes the attempt's staged outputs visible; the lease is still ours. */
    default void publish() throws Exception {}

    /** The attempt failed: its staged outputs will be discarded. */
    default void failed() {}

    /** The stored error text for a failure. */
    default String describe(Throwable t) {
      return stackTrace(t);
    }

    /** Always runs last: discard what was not published, remove the attempt's work files. */
    default void cleanup() {}
  }

  private final Engine engine;

  AttemptRunner(Engine engine) {
    this.engine = engine;
  }

  /**
   * Runs one attempt.
   *
   * @param claimed the record the claim wrote (its attempt number fences the outcome)
   * @param lease the claim's lease, held by the caller
   * @param fingerprint recorded with a COMPLETED result
   * @param lastTry whether a failure is final (ABORTED) instead of retryable (ERROR)
   * @return the outcome to commit, or {@code null} when the lease was lost
   * @throws InterruptedException when the caller is stopping and the lease is still ours: the
   *     caller gives the resource back
   */
  public StateChange run(
      StoredResource claimed,
      LeaseKeeper.Held lease,
      String fingerprint,
      boolean lastTry,
      Log log,
      Body body)
      throws InterruptedException {
    String c = claimed.collection();
    String key = claimed.key();
    int attempt = claimed.attempts();
    long start = engine.now();
    boolean published = false;
    lease.interruptOnLoss();
    try {
      Object value = body.run();
      if (lease.detach()) {
        log.noteCancelled();
        return null;
      }
      String json;
      try {
        json = Json.writeResult(value, engine.maxResultBytes());
      } catch (IllegalArgumentException e) {
        String why = "result not stored: " + e.getMessage();
        log.note(Level.ERROR, why, null);
        body.failed();
        return new Changes.Fail(c, key, engine.owner(), attempt, why, start, engine.now(), lastTry);
      }
      if (lease.lost()) {
        throw new CairnException("lost the lease on " + c + "/" + key + ": outputs not published");
      }
      body.publish();
      published = true;
      return new Changes.Complete(
          c, key, engine.owner(), attempt, json, fingerprint, start, engine.now());
    } catch (InterruptedException e) {
      if (lease.detach()) {
        log.noteCancelled();
        return null;
      }
      log.note(Level.WARN, "interrupted: stopping", null);
      throw e;
    } catch (Throwable t) {
      if (lease.detach()) {
        log.noteCancelled();
        return null;
      }
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
      log.note(Level.ERROR, "failed", t);
      if (!published) {
        body.failed();
      }
      return new Changes.Fail(
          c, key, engine.owner(), attempt, body.describe(t), start, engine.now(), lastTry);
    } finally {
      lease.detach();
      try {
        body.cleanup();
      } finally {
        log.close();
      }
    }
  }

  /**
   * Runs a Java body through an executor and returns its value, as if it had run here: on the
   * calling thread when {@code executor} is null (the default in-process path: a fetch pays no
   * thread hand-off), else started on that executor and awaited; an interrupt of the waiting thread
   * cancels it (the engine interrupts it when the lease is lost or the run stops).
   *
   * @throws Exception what the body threw; {@link InterruptedException} when it was cancelled
   */
  public static Object call(
      ResourceExecutor executor,
      WorkSpec.Call work,
      String name,
      BlobStore blobs,
      Callable<Object> body)
      throws Exception {
    if (executor == null) {
      return body.call();
    }
    ResourceExecutor.Execution run = executor.start(work, new CallAttempt(name, body, blobs));
    ResourceExecutor.Outcome o;
    try {
      o = run.outcome().get();
    } catch (InterruptedException e) {
      run.cancel();
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("executor " + executor.name() + " broke its contract", e);
    }
    switch (o.kind()) {
      case SUCCEEDED:
        return o.value();
      case CANCELLED:
        throw new InterruptedException("cancelled by executor " + executor.name());
      default:
        if (o.error() instanceof Exception ex) {
          throw ex;
        }
        if (o.error() instanceof Error err) {
          throw err;
        }
        throw new CairnException(
            o.message() == null ? "failed on executor " + executor.name() : o.message());
    }
  }

  /** What an executor gets for a Java call: the body, and nowhere to put script output. */
  private record CallAttempt(String name, Callable<Object> body, BlobStore blobs)
      implements ResourceExecutor.Attempt {
    @Override
    public void output(boolean stderr, String line) {}

    @Override
    public java.nio.file.Path workDir() {
      return null;
    }
  }

  /** A throwable's stack trace as text, as stored with a failed resource. */
  public static String stackTrace(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }
}
