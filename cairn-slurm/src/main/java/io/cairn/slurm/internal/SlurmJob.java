package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt as one Slurm job (one task of an array): its control files, the id Slurm gave it, and
 * how far its stdout and stderr have been read. The pool's threads drive it; the first reason to
 * stop (cancel, timeout, close) names the outcome.
 */
final class SlurmJob implements Execution {
  final WorkSpec.Script spec;
  final Attempt attempt;
  final Path control;
  final Path wrapper;
  final Batch.Key key;
  private final SlurmPool pool;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final Tail out;
  private final Tail err;
  volatile String jobId; // "array_task" once submitted
  volatile long runningSinceNanos; // 0 until squeue says RUNNING
  int unknownPolls; // consecutive polls whose squeue did not list it (poller thread only)
  private volatile Outcome.Kind stopped;

  SlurmJob(WorkSpec.Script spec, Attempt attempt, Batch.Key key, SlurmPool pool)
      throws IOException {
    this.spec = spec;
    this.attempt = attempt;
    this.key = key;
    this.pool = pool;
    Path work = spec.workDir() != null ? spec.workDir() : attempt.workDir();
    Files.createDirectories(work);
    // One control directory per attempt: attempts may share a working directory, and a retry
    // must not read the exit code of the attempt before it.
    Path controls = Files.createDirectories(work.resolve(".cairn-slurm").toAbsolutePath());
    control =
        Files.createTempDirectory(
            controls, attempt.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
    stageIn(work);
    wrapper = control.resolve("job.sh");
    Files.writeString(wrapper, Wrapper.text(spec, control, work.toAbsolutePath()));
    out = spec.stdout() == null ? new Tail(control.resolve(Wrapper.OUT), false) : null;
    err = spec.stderr() == null ? new Tail(control.resolve(Wrapper.ERR), true) : null;
  }

  @Override
  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  @Override
  public void cancel() {
    stop(Outcome.Kind.CANCELLED);
  }

  boolean done() {
    return outcome.isDone();
  }

  boolean stopping() {
    return stopped != null;
  }

  /** Records why it stops, scancels it if submitted, and ends it. */
  void stop(Outcome.Kind why) {
    synchronized (this) {
      if (stopped != null || outcome.isDone()) {
        return;
      }
      stopped = why;
    }
    String id = jobId;
    if (id != null) {
      try {
        pool.slurm().scancel(id);
      } catch (IOException e) {
        attempt.note("could not scancel job " + id + ": " + e.getMessage());
      }
    }
    drainAll();
    complete(
        why == Outcome.Kind.TIMED_OUT
            ? Outcome.timedOut(
                "script timed out after "
                    + describe(spec.timeout().toMillis())
                    + " (slurm job "
                    + id
                    + " cancelled)")
            : Outcome.cancelled());
  }

  /** Reads new output; if the wrapper wrote the exit code, ends the attempt. */
  boolean poll() {
    drain();
    Path exit = control.resolve(Wrapper.EXIT);
    if (!Files.exists(exit)) {
      return false;
    }
    int code;
    try {
      code = Integer.parseInt(Files.readString(exit).strip());
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    drainAll();
    if (code != 0) {
      String tail = err != null ? err.tail() : "";
      complete(
          Outcome.failed(
              "script exited with code "
                  + code
                  + " (slurm job "
                  + jobId
                  + ")"
                  + (tail.isEmpty() ? "" : ": " + tail),
              null,
              code));
      return true;
    }
    Path work = spec.workDir() != null ? spec.workDir() : attempt.workDir();
    for (WorkSpec.Transfer t : spec.outputs()) {
      try (InputStream in = Files.newInputStream(work.resolve(t.path()))) {
        attempt.blobs().put(t.blob(), in);
      } catch (IOException | RuntimeException e) {
        complete(
            Outcome.failed(
                "script exited 0 but output '"
                    + t.path()
                    + "' could not be staged out to "
                    + t.blob()
                    + ": "
                    + e.getMessage(),
                e,
                0));
        return true;
      }
    }
    complete(Outcome.succeeded(null, 0));
    return true;
  }

  /** Slurm ended the job without the wrapper writing an exit code. */
  void endedWithout(String state) {
    drainAll();
    if (state.equals("TIMEOUT") || state.equals("DEADLINE")) {
      complete(Outcome.timedOut("slurm job " + jobId + " went over its time limit"));
    } else {
      String tail = err != null ? err.tail() : "";
      complete(
          Outcome.failed(
              "slurm job "
                  + jobId
                  + " ended "
                  + state
                  + " without an exit code (retryable)"
                  + (tail.isEmpty() ? "" : ": " + tail),
              null,
              -1));
    }
  }

  void fail(String message, Throwable e) {
    complete(Outcome.failed(message, e, -1));
  }

  private void complete(Outcome o) {
    if (outcome.complete(o)) {
      pool.ended(this);
    }
  }

  private void drain() {
    if (out != null) {
      out.read(attempt);
    }
    if (err != null) {
      err.read(attempt);
    }
  }

  private void drainAll() {
    if (out != null) {
      out.finish(attempt);
    }
    if (err != null) {
      err.finish(attempt);
    }
  }

  private void stageIn(Path work) throws IOException {
    for (WorkSpec.Transfer t : spec.inputs()) {
      Path target = work.resolve(t.path());
      Files.createDirectories(target.toAbsolutePath().getParent());
      try (InputStream in =
              attempt
                  .blobs()
                  .get(t.blob())
                  .orElseThrow(
                      () ->
                          new FileNotFoundException("input blob " + t.blob() + " does not exist"));
          OutputStream o = Files.newOutputStream(target)) {
        in.transferTo(o);
      }
    }
    if (spec.stdin() instanceof WorkSpec.Stdin.Text t) {
      Files.writeString(control.resolve(Wrapper.STDIN), t.text(), StandardCharsets.UTF_8);
    } else if (spec.stdin() instanceof WorkSpec.Stdin.Blob b) {
      try (InputStream in = b.open(attempt.blobs())) {
        Files.copy(
            in, control.resolve(Wrapper.STDIN), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static String describe(long ms) {
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
