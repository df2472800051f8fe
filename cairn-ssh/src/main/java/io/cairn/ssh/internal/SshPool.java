package io.cairn.ssh.internal;

import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.WorkSpec;
import io.cairn.ssh.SshHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The SSH executor: a pool of hosts, each running at most {@code maxPerHost} attempts at once over
 * one shared connection. {@link #start} waits for a free slot, then gives the attempt to the host
 * with the fewest running, and runs it on a thread of its own ({@link RemoteRun}).
 *
 * <p>Threads it owns: MINA's I/O threads (started with the client), one daemon timer thread for
 * timeouts and kill graces, and one thread per running attempt.
 */
public final class SshPool implements ResourceExecutor {
  private static final long CLOSE_WAIT_MS = 15_000;

  private final String name;
  private final List<HostConnection> hosts;
  private final int capacity;
  private final Semaphore permits;
  private final SshClient client;
  private final ScheduledThreadPoolExecutor timer;
  private final String remoteDir;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<RemoteRun> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public SshPool(
      List<SshHost> hosts,
      Login login,
      Path knownHosts,
      int maxPerHost,
      String remoteDir,
      Duration connectTimeout,
      int reconnects) {
    HostKeys hostKeys = new HostKeys(knownHosts);
    this.client = startClient(hostKeys, login);
    List<HostConnection> conns = new ArrayList<>();
    for (SshHost h : hosts) {
      conns.add(new HostConnection(client, h, login, hostKeys, connectTimeout, reconnects));
    }
    this.hosts = List.copyOf(conns);
    this.capacity = maxPerHost * hosts.size();
    this.permits = new Semaphore(capacity);
    this.remoteDir = remoteDir;
    this.name = "ssh:" + hosts.get(0).label() + (hosts.size() > 1 ? "+" + (hosts.size() - 1) : "");
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "cairn-ssh-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** A started client that checks host keys and notices a host that silently went away. */
  static SshClient startClient(HostKeys hostKeys, Login login) {
    SshClient c = SshClient.setUpDefaultClient();
    c.setServerKeyVerifier(hostKeys.verifier());
    if (login.agent() != null) {
      c.setAgentFactory(login.agent());
    }
    // A host that vanishes without a reset (network gone, machine off) would leave attempts
    // waiting forever: keepalives that need a reply turn it into a closed, lost connection.
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, Duration.ofSeconds(15));
    CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(c, Duration.ofSeconds(10));
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, 4);
    c.start();
    return c;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public Execution start(WorkSpec work, Attempt attempt) {
    if (work == null || attempt == null) {
      throw new IllegalArgumentException(
          "the ssh executor needs a work spec and an attempt, got work="
              + work
              + ", attempt="
              + attempt);
    }
    if (!(work instanceof WorkSpec.Script script)) {
      return failed(
          "the ssh executor runs scripts, not Java functions: run "
              + attempt.name()
              + " on 'in-process' or a cairn worker");
    }
    if (closed) {
      return failed("the ssh executor " + name + " is closed");
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finished(ResourceExecutor.Outcome.cancelled());
    }
    HostConnection host = pick();
    RemoteRun run = new RemoteRun(script, attempt, host, remoteDir, timer);
    running.add(run);
    run.outcome()
        .whenComplete(
            (o, t) -> {
              if (running.remove(run)) {
                release(host);
              }
            });
    Thread t =
        new Thread(
            () -> {
              try {
                run.run();
              } finally {
                threads.remove(Thread.currentThread());
              }
            },
            "cairn-ssh-" + attempt.name());
    t.setDaemon(true);
    threads.add(t);
    t.start();
    if (closed) {
      run.cancel();
    }
    return run;
  }

  private synchronized HostConnection pick() {
    HostConnection best = hosts.get(0);
    for (HostConnection h : hosts) {
      if (h.running() < best.running()) {
        best = h;
      }
    }
    best.adjustRunning(1);
    return best;
  }

  private void release(HostConnection host) {
    synchronized (this) {
      host.adjustRunning(-1);
    }
    permits.release();
  }

  private static Execution failed(String message) {
    return finished(ResourceExecutor.Outcome.failed(message, null, -1));
  }

  private static Execution finished(ResourceExecutor.Outcome o) {
    CompletableFuture<ResourceExecutor.Outcome> f = CompletableFuture.completedFuture(o);
    return new Execution() {
      @Override
      public CompletableFuture<ResourceExecutor.Outcome> outcome() {
        return f;
      }

      @Override
      public void cancel() {}
    };
  }

  /**
   * Kills every running script, waits (at most 15 s) for their outcomes and clean-up, then closes
   * the connections.
   */
  @Override
  public void close() {
    closed = true;
    Set.copyOf(running).forEach(RemoteRun::cancel);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    for (Thread t : Set.copyOf(threads)) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    hosts.forEach(HostConnection::close);
    timer.shutdownNow();
    try {
      client.stop();
    } catch (RuntimeException e) {
      // Stopping closes sockets; a failure leaves nothing of ours behind.
    }
  }
}
