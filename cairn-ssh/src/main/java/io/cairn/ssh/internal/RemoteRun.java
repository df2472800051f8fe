package io.cairn.ssh.internal;

import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.internal.exec.StdinFeeder;
import io.cairn.spi.ResourceExecutor.Attempt;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One script attempt on one host, on a thread of its own: connect (or reuse the connection), make
 * the working directory and stage inputs in over SFTP, run the wrapped script on an exec channel
 * with its output cut into log lines as it arrives, then stage outputs out after an exit 0 and
 * remove the directory.
 *
 * <p>Stopping (cancel, timeout, close) records why first; the first reason names the outcome. A
 * running script is stopped by killing its remote process group over a second channel; if that
 * cannot reach the host, the channel is closed so the attempt still ends promptly. A channel that
 * closes without an exit status while nobody stopped it means the connection was lost: the attempt
 * fails (retryable), never succeeds.
 */
final class RemoteRun implements Execution {
  private static final int STDERR_TAIL = 20;
  private static final long KILL_GRACE_MS = 3_000;
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

  private final WorkSpec.Script spec;
  private final Attempt attempt;
  private final HostConnection conn;
  private final String root;
  private final ScheduledExecutorService timer;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final Object stopLock = new Object();
  private volatile Outcome.Kind stopped;
  private volatile ChannelExec channel;
  private volatile ClientSession session;
  private volatile String dir;
  private volatile boolean cleanedUp; // the wrapper removed the directory itself

  RemoteRun(
      WorkSpec.Script spec,
      Attempt attempt,
      HostConnection conn,
      String root,
      ScheduledExecutorService timer) {
    this.spec = spec;
    this.attempt = attempt;
    this.conn = conn;
    this.root = root;
    this.timer = timer;
  }

  @Override
  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  @Override
  public void cancel() {
    stop(Outcome.Kind.CANCELLED);
  }

  private void stop(Outcome.Kind why) {
    synchronized (stopLock) {
      if (stopped != null || outcome.isDone()) {
        return;
      }
      stopped = why;
    }
    ChannelExec ch = channel;
    if (ch == null) { // not started yet: the run thread sees the flag and does not start it
      finishStopped();
      return;
    }
    Thread t = new Thread(() -> kill(ch), "cairn-ssh-kill-" + attempt.name());
    t.setDaemon(true);
    t.start();
  }

  private void kill(ChannelExec ch) {
    try {
      exec(session, RemoteCommands.kill(dir), Duration.ofSeconds(10));
    } catch (IOException | RuntimeException e) {
      attempt.note("could not kill the script on " + conn.host().label() + ": " + e.getMessage());
    }
    // Whatever the kill did, the attempt ends: a channel still open after the grace is closed.
    try {
      timer.schedule(() -> ch.close(true), KILL_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      ch.close(true);
    }
  }

  /** The whole attempt; runs on its own thread. */
  void run() {
    LineSink out = spec.stdout() == null ? new LineSink(l -> attempt.output(false, l), 0) : null;
    LineSink err =
        spec.stderr() == null ? new LineSink(l -> attempt.output(true, l), STDERR_TAIL) : null;
    ScheduledFuture<?> timeout = null;
    boolean started = false;
    try {
      ClientSession s = conn.session();
      session = s;
      String base = conn.remoteRoot();
      if (base != null && spec.inputs().isEmpty()) {
        // Nothing to stage in: the wrapper makes the directory, and no SFTP channel is opened.
        dir = base + "/" + RemoteCommands.jobName(attempt.name());
      } else {
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
          // The remote dir is made and resolved once per host, not per attempt.
          if (base == null) {
            mkdirs(sftp, root);
            base = sftp.canonicalPath(root);
            conn.remoteRoot(base);
          }
          dir = base + "/" + RemoteCommands.jobName(attempt.name());
          mkdirs(sftp, dir);
          for (WorkSpec.Transfer t : spec.inputs()) {
            stageIn(sftp, t);
          }
        }
      }
      ChannelExec ch = s.createExecChannel(RemoteCommands.job(dir, spec));
      try (OutputStream stdout = out != null ? out : Files.newOutputStream(spec.stdout());
          OutputStream stderr = err != null ? err : Files.newOutputStream(spec.stderr())) {
        ch.setOut(stdout);
        ch.setErr(stderr);
        synchronized (stopLock) {
          if (stopped != null) {
            return;
          }
          channel = ch;
        }
        ch.open().verify(OPEN_TIMEOUT);
        started = true;
        StdinFeeder.feed(openStdin(), ch.getInvertedIn(), "cairn-ssh-stdin-" + attempt.name());
        if (spec.timeout() != null) {
          timeout =
              timer.schedule(
                  () -> stop(Outcome.Kind.TIMED_OUT),
                  spec.timeout().toMillis(),
                  TimeUnit.MILLISECONDS);
        }
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
      }
      if (timeout != null) {
        timeout.cancel(false);
      }
      decide(ch, s, err);
    } catch (IOException | RuntimeException e) {
      if (stopped != null) {
        finishStopped();
      } else {
        boolean lost = session != null && !session.isOpen();
        outcome.complete(
            Outcome.failed(
                (lost
                        ? "lost the connection to " + conn.host().label() + " (retryable): "
                        : started
                            ? "the script on " + conn.host().label() + " failed: "
                            : "cannot start the script of "
                                + attempt.name()
                                + " on "
                                + conn.host().label()
                                + ": ")
                    + HostConnection.oneLine(e),
                e,
                -1));
      }
    } finally {
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (stopped != null) {
        finishStopped();
      }
      cleanUp();
    }
  }

  private void decide(ChannelExec ch, ClientSession s, LineSink err) throws IOException {
    if (stopped != null) {
      finishStopped();
      return;
    }
    Integer code = ch.getExitStatus();
    cleanedUp = code != null && RemoteCommands.cleansUpItself(spec);
    if (code == null) {
      String signal = ch.getExitSignal();
      outcome.complete(
          Outcome.failed(
              signal != null
                  ? "script on " + conn.host().label() + " was killed by signal " + signal
                  : "lost the connection to "
                      + conn.host().label()
                      + " while the script ran (retryable); no exit code was received",
              null,
              -1));
      return;
    }
    if (code != 0) {
      String tail = tail(err);
      outcome.complete(
          Outcome.failed(
              "script exited with code " + code + (tail.isEmpty() ? "" : ": " + tail), null, code));
      return;
    }
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
      for (WorkSpec.Transfer t : spec.outputs()) {
        try (InputStream in = sftp.read(RemoteCommands.inside(dir, t.path()))) {
          attempt.blobs().put(t.blob(), in);
        } catch (IOException | RuntimeException e) {
          outcome.complete(
              Outcome.failed(
                  "script exited 0 but output '"
                      + t.path()
                      + "' could not be staged out to "
                      + t.blob()
                      + ": "
                      + HostConnection.oneLine(e),
                  e,
                  0));
          return;
        }
      }
    }
    outcome.complete(Outcome.succeeded(null, 0));
  }

  private void finishStopped() {
    outcome.complete(
        stopped == Outcome.Kind.TIMED_OUT
            ? Outcome.timedOut(
                "script timed out after "
                    + LocalProcessExecutor.describe(spec.timeout())
                    + " on "
                    + conn.host().label())
            : Outcome.cancelled());
  }

  /**
   * Removes the working directory. After a lost connection it reconnects first (bounded, with
   * backoff) and kills what the script left running: without a terminal, sshd does not hang up a
   * dropped session's processes.
   */
  private void cleanUp() {
    ClientSession s = session;
    String d = dir;
    if (s == null || d == null || cleanedUp) {
      return;
    }
    try {
      if (!s.isOpen()) {
        s = conn.session();
        exec(s, RemoteCommands.kill(d), Duration.ofSeconds(10));
      }
      exec(s, RemoteCommands.remove(d), Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      attempt.note("could not remove " + d + " on " + conn.host().label() + ": " + e.getMessage());
    }
  }

  private void stageIn(SftpClient sftp, WorkSpec.Transfer t) throws IOException {
    String target = RemoteCommands.inside(dir, t.path());
    int slash = target.lastIndexOf('/');
    mkdirs(sftp, target.substring(0, slash));
    try (InputStream in =
            attempt
                .blobs()
                .get(t.blob())
                .orElseThrow(
                    () -> new FileNotFoundException("input blob " + t.blob() + " does not exist"));
        OutputStream o = sftp.write(target)) {
      in.transferTo(o);
    }
  }

  static void mkdirs(SftpClient sftp, String path) throws IOException {
    StringBuilder p = new StringBuilder(path.startsWith("/") ? "/" : "");
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      p.append(part);
      try {
        sftp.stat(p.toString());
      } catch (IOException missing) {
        try {
          sftp.mkdir(p.toString());
        } catch (IOException e) {
          sftp.stat(p.toString()); // another attempt made it meanwhile; else the mkdir's error
        }
      }
      p.append('/');
    }
  }

  private InputStream openStdin() throws IOException {
    return spec.stdin() == null ? null : spec.stdin().open(attempt.blobs());
  }

  private String tail(LineSink err) {
    java.util.List<String> lines = err != null ? err.tail() : fileTail();
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    return String.join("\n", lines).strip();
  }

  private java.util.List<String> fileTail() {
    try {
      java.util.List<String> all = Files.readAllLines(spec.stderr());
      return new java.util.ArrayList<>(
          all.subList(Math.max(0, all.size() - STDERR_TAIL), all.size()));
    } catch (IOException e) {
      return new java.util.ArrayList<>();
    }
  }

  /** Runs a short command on its own channel and waits for it. */
  static void exec(ClientSession s, String command, Duration within) throws IOException {
    if (s == null) {
      throw new IOException("not connected");
    }
    try (ChannelExec ch = s.createExecChannel(command)) {
      ch.open().verify(within);
      ch.getInvertedIn().close();
      ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), within);
    }
  }
}
