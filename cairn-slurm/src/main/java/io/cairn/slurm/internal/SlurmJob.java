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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt as one Slurm job (one task of an array): its control files, the id Slurm gave it, and
 * how far its stdout and stderr have been read. The pool's threads drive it; the first reason to
 * stop (cancel, timeout, close) names the outcome. Its files are reached through the pool's {@link
 * ClusterShell}, so the same code serves a local Slurm and one behind a login node; a read that
 * fails (a dropped connection) ends nothing: the next poll reads again.
 */
final class SlurmJob implements Execution {
  final WorkSpec.Script spec;
  final Attempt attempt;
  final ClusterShell.Place place;
  final String wrapper;
  final Batch.Key key;
  private final SlurmPool pool;
  private final ClusterShell shell;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final AtomicBoolean arrayReleased = new AtomicBoolean();
  private final Tail out;
  private final Tail err;
  volatile String jobId; // "array_task" once submitted
  volatile Batch.ArrayFiles array; // set with jobId
  volatile long runningSinceNanos; // 0 until squeue says RUNNING
  int unknownPolls; // consecutive polls whose squeue did not list it (poller thread only)
  // An exit code from a signal (128+n), held until squeue says how Slurm ended the job: at its
  // time limit Slurm signals the script and the wrapper alike, and which of them goes first is a
  // race, so the code alone cannot tell a timeout from a script that was killed (poller only).
  private int signalled = -1;
  private volatile Outcome.Kind stopped;

  SlurmJob(WorkSpec.Script spec, Attempt attempt, Batch.Key key, SlurmPool pool)
      throws IOException {
    this.spec = spec;
    this.attempt = attempt;
    this.key = key;
    this.pool = pool;
    this.shell = pool.shell();
    this.place = shell.place(spec, attempt);
    String control = place.control();
    try {
      stageIn();
      boolean local = shell.local();
      // Over a login node the script's output goes to the control directory and is fetched from
      // there; a local path in the spec names this machine, not the cluster.
      String o =
          local && spec.stdout() != null
              ? spec.stdout().toString()
              : shell.resolve(control, Wrapper.OUT);
      String e =
          local && spec.stderr() != null
              ? spec.stderr().toString()
              : shell.resolve(control, Wrapper.ERR);
      wrapper = shell.resolve(control, "job.sh");
      try (OutputStream w = shell.create(wrapper)) {
        w.write(
            Wrapper.text(spec.command(), environment(), place.work(), stdin(), o, e, control)
                .getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      if (place.owned()) {
        try {
          shell.remove(List.of(place.work()));
        } catch (IOException | RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    out =
        spec.stdout() == null ? new Tail(shell, shell.resolve(control, Wrapper.OUT), false) : null;
    err = spec.stderr() == null ? new Tail(shell, shell.resolve(control, Wrapper.ERR), true) : null;
  }

  @Override
  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  @Override
  public void cancel() {
    stop(Outcome.Kind.CANCELLED, true);
  }

  boolean done() {
    return outcome.isDone();
  }

  boolean stopping() {
    return stopped != null;
  }

  /** Records why it stops, scancels it if asked to and submitted, and ends it. */
  void stop(Outcome.Kind why, boolean scancel) {
    synchronized (this) {
      if (stopped != null || outcome.isDone()) {
        return;
      }
      stopped = why;
    }
    String id = jobId;
    if (id != null && scancel) {
      try {
        pool.slurm().scancel(id);
      } catch (IOException e) {
        attempt.note("could not scancel job " + id + ": " + e.getMessage());
      }
    }
    drainQuietly();
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

  /**
   * Reads new output; if the wrapper wrote the exit code, ends the attempt.
   *
   * @return whether it ended
   * @throws IOException if the files could not be read (nothing is decided then)
   */
  boolean poll() throws IOException {
    if (signalled >= 0) {
      return false;
    }
    Map<String, Long> files = shell.list(place.control());
    if (out != null) {
      out.read(attempt, files.getOrDefault(Wrapper.OUT, -1L));
    }
    if (err != null) {
      err.read(attempt, files.getOrDefault(Wrapper.ERR, -1L));
    }
    if (!files.containsKey(Wrapper.EXIT)) {
      return false;
    }
    int code;
    try {
      byte[] text = shell.read(shell.resolve(place.control(), Wrapper.EXIT), 0, 64);
      code = Integer.parseInt(new String(text, StandardCharsets.UTF_8).strip());
    } catch (NumberFormatException e) {
      return false;
    }
    drainAll();
    if (code > 128 && code < 160) {
      signalled = code;
      return false;
    }
    if (code != 0) {
      exited(code, "");
      return true;
    }
    try {
      fetchCaptures();
      for (WorkSpec.Transfer t : spec.outputs()) {
        try (InputStream in = shell.open(inside(t.path()))) {
          attempt.blobs().put(t.blob(), in);
        } catch (IOException | RuntimeException e) {
          throw new IOException(
              "output '" + t.path() + "' could not be staged out to " + t.blob(), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      complete(
          Outcome.failed(
              "script exited 0 but "
                  + e.getMessage()
                  + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()),
              e,
              0));
      return true;
    }
    complete(Outcome.succeeded(null, 0));
    return true;
  }

  private void exited(int code, String how) {
    String tail = err != null ? err.tail() : "";
    complete(
        Outcome.failed(
            "script exited with code "
                + code
                + " (slurm job "
                + jobId
                + how
                + ")"
                + (tail.isEmpty() ? "" : ": " + tail),
            null,
            code));
  }

  /** Slurm ended the job without the wrapper writing an exit code, or with a signal's. */
  void endedWithout(String state) {
    drainQuietly();
    if (state.equals("TIMEOUT") || state.equals("DEADLINE")) {
      complete(Outcome.timedOut("slurm job " + jobId + " went over its time limit"));
    } else if (signalled >= 0) {
      exited(signalled, " ended " + state);
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

  /** The array's files, once per job, when the job has both ended and been given its array. */
  List<String> releaseArray() {
    Batch.ArrayFiles a = array;
    if (a == null || !done() || !arrayReleased.compareAndSet(false, true)) {
      return List.of();
    }
    return a.release() ? a.paths : List.of();
  }

  private void drainAll() throws IOException {
    if (out != null) {
      out.finish(attempt);
    }
    if (err != null) {
      err.finish(attempt);
    }
  }

  private void drainQuietly() {
    try {
      drainAll();
    } catch (IOException e) {
      attempt.note("could not read the rest of the job's output: " + e.getMessage());
    }
  }

  /** Over a login node, a captured stdout or stderr is fetched into the spec's local file. */
  private void fetchCaptures() throws IOException {
    if (shell.local()) {
      return;
    }
    fetch(spec.stdout(), Wrapper.OUT);
    fetch(spec.stderr(), Wrapper.ERR);
  }

  private void fetch(Path local, String name) throws IOException {
    if (local == null) {
      return;
    }
    try (InputStream in = shell.open(shell.resolve(place.control(), name))) {
      Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IOException("the captured output could not be fetched to " + local, e);
    }
  }

  private Map<String, String> environment() {
    if (shell.local()) {
      return spec.environment();
    }
    // A variable naming the local working directory (CAIRN_WORKDIR) names the remote one there.
    String local = spec.workDir() == null ? null : spec.workDir().toString();
    Map<String, String> env = new LinkedHashMap<>();
    spec.environment().forEach((k, v) -> env.put(k, v.equals(local) ? place.work() : v));
    return env;
  }

  /** Where the script's stdin comes from: a local file as it is, else a copy beside the job. */
  private String stdin() throws IOException {
    if (spec.stdin() == null) {
      return "/dev/null";
    }
    if (shell.local() && spec.stdin() instanceof WorkSpec.Stdin.File f) {
      return f.path().toAbsolutePath().toString();
    }
    String target = shell.resolve(place.control(), Wrapper.STDIN);
    try (InputStream in = spec.stdin().open(attempt.blobs());
        OutputStream o = shell.create(target)) {
      in.transferTo(o);
    }
    return target;
  }

  private void stageIn() throws IOException {
    for (WorkSpec.Transfer t : spec.inputs()) {
      String target = inside(t.path());
      int slash = target.lastIndexOf('/');
      shell.mkdirs(target.substring(0, slash));
      try (InputStream in =
              attempt
                  .blobs()
                  .get(t.blob())
                  .orElseThrow(
                      () ->
                          new FileNotFoundException("input blob " + t.blob() + " does not exist"));
          OutputStream o = shell.create(target)) {
        in.transferTo(o);
      }
    }
  }

  /** A transfer's path inside the working directory. */
  private String inside(String relative) {
    if (shell.local()) {
      return Path.of(place.work()).resolve(relative).toAbsolutePath().toString();
    }
    if (relative.isEmpty()
        || relative.startsWith("/")
        || List.of(relative.split("/")).contains("..")
        || relative.contains("\n")) {
      throw new IllegalArgumentException(
          "transfer path '" + relative + "' leaves the working directory; give a relative path");
    }
    return shell.resolve(place.work(), relative);
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
