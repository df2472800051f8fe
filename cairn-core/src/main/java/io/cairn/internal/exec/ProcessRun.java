package io.cairn.internal.exec;

import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One script process, from staging its inputs to its outcome.
 *
 * <p>Threads: the starting thread stages inputs and starts the process; one daemon thread per piped
 * stream reads it line by line (a full pipe never stalls the script) and one feeds a streamed stdin
 * (a file is handed to the process directly). Nobody waits on the process: the JDK's reaper reports
 * its exit, and the last of {exit, each pump's end} decides the outcome on its own thread, staging
 * outputs out after an exit 0. A timeout is a task on the executor's timer. If a pump outlives the
 * exit (something the script started still holds the pipe) the timer ends the wait after a grace
 * period.
 *
 * <p>Stopping (cancel, timeout, close) records why, then kills the process group (the script runs
 * in a session of its own) and every descendant seen: the kill is the same whichever comes first,
 * and the first reason recorded names the outcome.
 */
final class ProcessRun extends ExecutionHandle {
  private static final int STDERR_TAIL = 20;
  private static final long GRACE_MS = 5_000;
  private static final long GRACE_AFTER_KILL_MS = 1_000;

  private final WorkSpec.Script spec;
  private final Attempt attempt;
  private final ScheduledExecutorService timer;
  private final Path dir;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile Process process;
  private final Object stopLock = new Object();
  private volatile Outcome.Kind stopped; // CANCELLED or TIMED_OUT once stopping
  private volatile ScriptOutputPump err;
  private volatile ScheduledFuture<?> timeoutTask;

  ProcessRun(WorkSpec.Script spec, Attempt attempt, ScheduledExecutorService timer) {
    this.spec = spec;
    this.attempt = attempt;
    this.timer = timer;
    Path d = spec.workDir() != null ? spec.workDir() : attempt.workDir();
    this.dir = d == null ? null : d.toAbsolutePath();
  }

  /** Stages inputs and starts the process; a failure to do so is the outcome. */
  void launch() {
    InputStream stdin = null;
    try {
      if (dir == null) {
        throw new IllegalArgumentException(
            "script of " + attempt.name() + " has no working directory: set WorkSpec.workDir");
      }
      for (WorkSpec.Transfer t : spec.inputs()) {
        stageIn(t);
      }
      ProcessBuilder pb = new ProcessBuilder(ProcessTree.command(spec.command()));
      pb.directory(dir.toFile()).environment().putAll(spec.environment());
      pb.redirectOutput(
          spec.stdout() == null
              ? ProcessBuilder.Redirect.PIPE
              : ProcessBuilder.Redirect.to(spec.stdout().toFile()));
      pb.redirectError(
          spec.stderr() == null
              ? ProcessBuilder.Redirect.PIPE
              : ProcessBuilder.Redirect.to(spec.stderr().toFile()));
      // Opened before the process starts, so a missing input fails before anything runs.
      if (spec.stdin() instanceof WorkSpec.Stdin.File f) {
        if (!Files.isRegularFile(f.path())) {
          throw new FileNotFoundException("stdin file " + f.path() + " does not exist");
        }
        pb.redirectInput(f.path().toFile());
      } else {
        stdin = openStdin();
      }
      pending.set(1 + (spec.stdout() == null ? 1 : 0) + (spec.stderr() == null ? 1 : 0));
      Process p = pb.start();
      process = p;
      String tag = attempt.name();
      if (spec.stdout() == null) {
        new ScriptOutputPump(p.getInputStream(), l -> attempt.output(false, l), 0)
            .start("cairn-script-stdout-" + tag, this::arrive);
      }
      if (spec.stderr() == null) {
        ScriptOutputPump e =
            new ScriptOutputPump(p.getErrorStream(), l -> attempt.output(true, l), STDERR_TAIL);
        err = e;
        e.start("cairn-script-stderr-" + tag, this::arrive);
      }
      if (!(spec.stdin() instanceof WorkSpec.Stdin.File)) {
        StdinFeeder.feed(stdin, p.getOutputStream(), "cairn-script-stdin-" + tag);
        stdin = null;
      }
      if (spec.timeout() != null) {
        timeoutTask =
            timer.schedule(
                () -> stop(Outcome.Kind.TIMED_OUT),
                spec.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
      }
      if (stopped != null) { // cancelled while starting
        ProcessTree.kill(p);
      }
      p.onExit().thenRun(this::exited);
    } catch (Exception e) {
      closeQuietly(stdin);
      Process p = process;
      if (p != null) {
        ProcessTree.kill(p);
      }
      finish(
          stopped == Outcome.Kind.CANCELLED
              ? Outcome.cancelled()
              : Outcome.failed(
                  "cannot start the script of " + attempt.name() + ": " + e.getMessage(), e, -1));
    }
  }

  @Override
  public void cancel() {
    stop(Outcome.Kind.CANCELLED);
  }

  private void stop(Outcome.Kind why) {
    synchronized (stopLock) { // not this: decide() holds that while staging outputs out
      if (stopped != null || isDone()) {
        return;
      }
      stopped = why;
    }
    Process p = process;
    if (p != null) {
      ProcessTree.kill(p);
    }
  }

  private void exited() {
    ScheduledFuture<?> t = timeoutTask;
    if (t != null) {
      t.cancel(false);
    }
    if (pending.decrementAndGet() == 0) {
      decide();
      return;
    }
    long grace = stopped != null ? GRACE_AFTER_KILL_MS : GRACE_MS;
    try {
      timer.schedule(this::outlived, grace, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) { // the executor closed: decide without waiting
      outlived();
    }
  }

  private void outlived() {
    if (!isDone()) {
      attempt.note("the script exited but something it started still holds its output open");
      decide();
    }
  }

  private void arrive() {
    if (pending.decrementAndGet() == 0) {
      decide();
    }
  }

  private synchronized void decide() {
    if (isDone()) {
      return;
    }
    Outcome.Kind why = stopped;
    if (why == Outcome.Kind.CANCELLED) {
      finish(Outcome.cancelled());
      return;
    }
    if (why == Outcome.Kind.TIMED_OUT) {
      String tail = stderrTail();
      finish(
          Outcome.timedOut(
              "script timed out after "
                  + LocalProcessExecutor.describe(spec.timeout())
                  + (tail.isEmpty() ? "" : ": " + tail)));
      return;
    }
    int code = process.exitValue();
    if (code != 0) {
      String tail = stderrTail();
      finish(
          Outcome.failed(
              "script exited with code " + code + (tail.isEmpty() ? "" : ": " + tail), null, code));
      return;
    }
    for (WorkSpec.Transfer t : spec.outputs()) {
      try (InputStream in = Files.newInputStream(inside(t.path()))) {
        attempt.blobs().put(t.blob(), in);
      } catch (IOException | RuntimeException e) {
        finish(
            Outcome.failed(
                "script exited 0 but output '"
                    + t.path()
                    + "' could not be staged out to "
                    + t.blob()
                    + ": "
                    + e.getMessage(),
                e,
                0));
        return;
      }
    }
    finish(Outcome.succeeded(null, 0));
  }

  private void stageIn(WorkSpec.Transfer t) throws IOException {
    Path target = inside(t.path());
    try (InputStream in =
        attempt
            .blobs()
            .get(t.blob())
            .orElseThrow(
                () -> new FileNotFoundException("input blob " + t.blob() + " does not exist"))) {
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A transfer's path, which must stay inside the working directory. */
  private Path inside(String relative) {
    Path p = dir.resolve(relative).normalize();
    if (!p.startsWith(dir) || p.equals(dir)) {
      throw new IllegalArgumentException(
          "transfer path '" + relative + "' leaves the working directory; give a relative path");
    }
    return p;
  }

  private InputStream openStdin() throws IOException {
    return spec.stdin() == null ? null : spec.stdin().open(attempt.blobs());
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing was read from it; nothing to lose.
      }
    }
  }

  /** The last stderr lines, joined by newlines: from the pump, or from the capture file. */
  private String stderrTail() {
    ScriptOutputPump e = err;
    List<String> lines =
        e != null
            ? e.tail()
            : spec.stderr() == null
                ? new ArrayList<>()
                : ProcessTree.fileTail(spec.stderr(), STDERR_TAIL);
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    return String.join("\n", lines).strip();
  }
}
