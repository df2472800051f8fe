package io.cairn.slurm.internal;

import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.WorkSpec;
import io.cairn.ssh.internal.SshLogin;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm executor: starts wait a short batching window and are then submitted together, one
 * {@code sbatch --array} per kind of request; one poller thread follows all submitted jobs (their
 * output files, exit-code files and, for jobs Slurm ended otherwise, {@code squeue}).
 */
public final class SlurmPool implements ResourceExecutor {
  private static final Set<String> ENDED =
      Set.of(
          "COMPLETED",
          "FAILED",
          "TIMEOUT",
          "CANCELLED",
          "NODE_FAIL",
          "OUT_OF_MEMORY",
          "PREEMPTED",
          "BOOT_FAIL",
          "DEADLINE");
  private static final int UNKNOWN_POLLS = 10;
  // Slurm's default MaxArraySize is 1001 (indexes 0-1000).
  private static final int MAX_ARRAY = 1000;
  private static final long MAX_COLLECT_NANOS = 5_000_000_000L;
  private static final long SQUEUE_EVERY_NANOS = 500_000_000L;
  private final SlurmSettings settings;
  private final ClusterShell shell;
  private final Slurm slurm;
  // Directories and array files of ended jobs, removed by the poller between polls (one command
  // for many over a login node), and by close.
  private final Queue<String> trash = new ConcurrentLinkedQueue<>();
  private final Semaphore slots;
  private final Object lock = new Object();
  private final List<SlurmJob> pending = new ArrayList<>();
  private final Set<SlurmJob> active = ConcurrentHashMap.newKeySet();
  private final Thread submitter;
  private final Thread poller;
  private volatile boolean closed;
  private long lastSqueueNanos; // poller thread only

  public SlurmPool(SlurmSettings settings) {
    this.settings = settings;
    SlurmSettings.Login l = settings.login();
    this.shell =
        l == null
            ? new LocalShell(settings.spool())
            : new SshShell(
                SshLogin.open(l.host(), l.key(), l.knownHosts(), Duration.ofSeconds(15), 3),
                l.remoteDir());
    this.slurm = new Slurm(shell);
    this.slots = new Semaphore(settings.capacity(), true);
    submitter = new Thread(this::submitLoop, "cairn-slurm-submit");
    submitter.setDaemon(true);
    submitter.start();
    poller = new Thread(this::pollLoop, "cairn-slurm-poll");
    poller.setDaemon(true);
    poller.start();
  }

  Slurm slurm() {
    return slurm;
  }

  ClusterShell shell() {
    return shell;
  }

  /** How many times sbatch ran (each submits one array). */
  public int sbatchCalls() {
    return slurm.sbatchCalls();
  }

  @Override
  public String name() {
    return "slurm"
        + (settings.partition() == null ? "" : ":" + settings.partition())
        + (settings.login() == null ? "" : "@" + settings.login().host().label());
  }

  @Override
  public int capacity() {
    return settings.capacity();
  }

  @Override
  public Execution start(WorkSpec work, Attempt attempt) {
    if (!(work instanceof WorkSpec.Script script)) {
      return failed(
          "the slurm executor runs scripts, not a Java function: "
              + attempt.name()
              + " must run in-process or on a local executor");
    }
    if (closed) {
      return failed("the slurm executor is closed; " + attempt.name() + " was not started");
    }
    for (String k : script.environment().keySet()) {
      if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        return failed(
            "environment variable name '"
                + k
                + "' of "
                + attempt.name()
                + " cannot be exported by the slurm job's shell: use letters, digits and '_'");
      }
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted while waiting for a slurm slot for " + attempt.name());
    }
    SlurmJob job;
    try {
      job = new SlurmJob(script, attempt, key(script), this);
    } catch (IOException | RuntimeException e) {
      slots.release();
      return failed("cannot prepare the slurm job of " + attempt.name() + ": " + e.getMessage());
    }
    synchronized (lock) {
      if (closed) {
        slots.release();
        return failed("the slurm executor is closed; " + attempt.name() + " was not started");
      }
      active.add(job);
      pending.add(job);
      lock.notifyAll();
    }
    return job;
  }

  private Batch.Key key(WorkSpec.Script s) {
    long minutes = 0;
    if (settings.timeLimit() != null) {
      minutes = Math.max(1, (settings.timeLimit().toSeconds() + 59) / 60);
    } else if (s.timeout() != null) {
      // The executor stops the job at its timeout; Slurm's limit is only a backstop.
      minutes = (s.timeout().toSeconds() + 59) / 60 + 1;
    }
    int cpus = Math.max(settings.cpus(), s.needs().cpus());
    long mem = Math.max(settings.memoryMb(), (s.needs().memoryBytes() + (1 << 20) - 1) >> 20);
    return new Batch.Key(settings.partition(), minutes, cpus, mem);
  }

  void ended(SlurmJob job) {
    if (active.remove(job)) {
      slots.release();
    }
    if (job.place.owned()) {
      trash.add(job.place.work());
    }
    trash.addAll(job.releaseArray());
  }

  /** Removes what ended jobs left; what cannot be removed now is tried again next time. */
  private void emptyTrash() {
    List<String> paths = new ArrayList<>();
    for (String p; (p = trash.poll()) != null; ) {
      paths.add(p);
    }
    if (paths.isEmpty()) {
      return;
    }
    try {
      shell.remove(paths);
    } catch (IOException | RuntimeException e) {
      trash.addAll(paths);
    }
  }

  private void submitLoop() {
    while (true) {
      List<SlurmJob> batch;
      try {
        synchronized (lock) {
          while (pending.isEmpty() && !closed) {
            lock.wait();
          }
          if (closed) {
            return;
          }
        }
        // A scheduling round claims and starts many jobs in a burst: collect them until a whole
        // window passes without a new start, bounded so a steady stream still gets submitted.
        long window = settings.batchWindow().toMillis();
        long deadline = System.nanoTime() + MAX_COLLECT_NANOS;
        int seen = -1;
        while (true) {
          Thread.sleep(window);
          synchronized (lock) {
            int now = pending.size();
            if (now == seen || now >= MAX_ARRAY || System.nanoTime() > deadline || closed) {
              batch = new ArrayList<>(pending.subList(0, Math.min(now, MAX_ARRAY)));
              pending.subList(0, batch.size()).clear();
              break;
            }
            seen = now;
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      Map<Batch.Key, List<SlurmJob>> byKey = new LinkedHashMap<>();
      for (SlurmJob j : batch) {
        if (!j.done()) {
          byKey.computeIfAbsent(j.key, k -> new ArrayList<>()).add(j);
        }
      }
      byKey.forEach(this::submit);
    }
  }

  private void submit(Batch.Key key, List<SlurmJob> jobs) {
    try {
      Batch.submit(slurm, shell, key, jobs);
    } catch (IOException | RuntimeException e) {
      for (SlurmJob j : jobs) {
        j.fail("sbatch failed for " + j.attempt.name() + ": " + e.getMessage(), e);
      }
      return;
    }
    for (SlurmJob j : jobs) {
      trash.addAll(j.releaseArray()); // ended while being submitted
      // Cancelled while sbatch ran: the stop could not scancel a job without an id yet.
      if (j.stopping()) {
        try { // cancelled while being submitted
          slurm.scancel(j.jobId);
        } catch (IOException e) {
          j.attempt.note("could not scancel job " + j.jobId + ": " + e.getMessage());
        }
      }
    }
  }

  private void pollLoop() {
    while (!closed) {
      try {
        Thread.sleep(settings.pollInterval().toMillis());
      } catch (InterruptedException e) {
        return;
      }
      try {
        pollOnce();
      } catch (IOException | RuntimeException e) {
        // One bad poll (a busy controller, a dropped connection to the login node) must not end
        // the following of every job, nor decide any: the next poll reads again.
      }
      emptyTrash();
    }
  }

  private void pollOnce() throws IOException {
    List<SlurmJob> submitted = new ArrayList<>();
    for (SlurmJob j : active) {
      if (j.jobId != null && !j.done() && !j.poll()) {
        submitted.add(j);
      }
    }
    long now = System.nanoTime();
    // Files are cheap to look at; squeue asks the controller, which serves the whole cluster.
    if (submitted.isEmpty() || now - lastSqueueNanos < SQUEUE_EVERY_NANOS) {
      return;
    }
    lastSqueueNanos = now;
    Map<String, String> states = new HashMap<>();
    try {
      List<String> arrays =
          submitted.stream()
              .map(j -> j.jobId.substring(0, j.jobId.indexOf('_')))
              .distinct()
              .toList();
      for (String line : slurm.states(arrays)) {
        int sp = line.indexOf(' ');
        if (sp > 0) {
          states.put(line.substring(0, sp), line.substring(sp + 1).strip());
        }
      }
    } catch (IOException e) {
      return; // the controller is busy or restarting: the next poll asks again
    }
    pollStates(submitted, states, now);
  }

  private void pollStates(List<SlurmJob> submitted, Map<String, String> states, long now)
      throws IOException {
    for (SlurmJob j : submitted) {
      String state = states.get(j.jobId);
      if (j.done()) {
        continue;
      }
      if (state == null) {
        // squeue lists every element of a known array; one it no longer knows was purged (or
        // the controller lost it) without the wrapper writing an exit code.
        if (++j.unknownPolls >= UNKNOWN_POLLS && !j.poll()) {
          j.endedWithout("(no longer listed by squeue)");
        }
        continue;
      }
      j.unknownPolls = 0;
      if (state.equals("RUNNING") && j.runningSinceNanos == 0) {
        j.runningSinceNanos = now;
      }
      if (j.runningSinceNanos != 0
          && j.spec.timeout() != null
          && now - j.runningSinceNanos > j.spec.timeout().toNanos()) {
        CompletableFuture.runAsync(() -> j.stop(Outcome.Kind.TIMED_OUT, true));
      } else if (ENDED.contains(state) && !j.poll()) {
        j.endedWithout(state);
      }
    }
  }

  private static Execution failed(String message) {
    CompletableFuture<Outcome> f =
        CompletableFuture.completedFuture(Outcome.failed(message, null, -1));
    return new Execution() {
      @Override
      public CompletableFuture<Outcome> outcome() {
        return f;
      }

      @Override
      public void cancel() {}
    };
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    List<SlurmJob> all = new ArrayList<>(active);
    // One scancel for all: over a login node that cannot be reached, one call waits out the
    // reconnects, not one per job.
    List<String> ids =
        all.stream().filter(j -> !j.done()).map(j -> j.jobId).filter(i -> i != null).toList();
    if (!ids.isEmpty()) {
      try {
        slurm.scancel(ids);
      } catch (IOException e) {
        all.forEach(
            j -> j.attempt.note("could not scancel job " + j.jobId + ": " + e.getMessage()));
      }
    }
    all.forEach(j -> j.stop(Outcome.Kind.CANCELLED, false));
    poller.interrupt();
    submitter.interrupt();
    for (SlurmJob j : all) {
      try {
        j.outcome().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // bounded: close does not wait forever for a controller that does not answer
      }
    }
    try {
      poller.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    emptyTrash();
    shell.close();
  }
}
