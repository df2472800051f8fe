package io.cairn.ssh.internal;

import io.cairn.ssh.SshHost;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;

/**
 * The one SSH connection to a host that all its attempts share (channels multiplex on it). A closed
 * connection is re-established by the next attempt that needs it, up to {@code reconnects} tries
 * with doubling backoff; a refused host key or login is not retried (it would fail the same way).
 */
final class HostConnection {
  private static final long FIRST_BACKOFF_MS = 200;

  private final SshClient client;
  private final SshHost host;
  private final Login login;
  private final HostKeys hostKeys;
  private final Duration timeout;
  private final int reconnects;
  private ClientSession session; // guarded by this
  private int running; // guarded by the pool
  private volatile String remoteRoot; // the remote dir, absolute, once made

  HostConnection(
      SshClient client,
      SshHost host,
      Login login,
      HostKeys hostKeys,
      Duration timeout,
      int reconnects) {
    this.client = client;
    this.host = host;
    this.login = login;
    this.hostKeys = hostKeys;
    this.timeout = timeout;
    this.reconnects = reconnects;
  }

  SshHost host() {
    return host;
  }

  String remoteRoot() {
    return remoteRoot;
  }

  void remoteRoot(String absolute) {
    remoteRoot = absolute;
  }

  int running() {
    return running;
  }

  void adjustRunning(int delta) {
    running += delta;
  }

  /**
   * The open session, connecting if there is none.
   *
   * @throws IOException saying why the host cannot be reached or refused us
   */
  synchronized ClientSession session() throws IOException {
    if (session != null && session.isOpen() && session.isAuthenticated()) {
      return session;
    }
    session = null;
    IOException last = null;
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 0; attempt <= reconnects; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while reconnecting to " + host.label(), e);
        }
        backoff *= 2;
      }
      ClientSession s = null;
      try {
        s = client.connect(host.user(), host.host(), host.port()).verify(timeout).getSession();
        for (KeyPair k : login.keys()) {
          s.addPublicKeyIdentity(k);
        }
        s.auth().verify(timeout);
        session = s;
        return s;
      } catch (IOException | RuntimeException e) {
        String refused = s == null ? null : hostKeys.refusal(s);
        closeQuietly(s);
        if (refused != null) {
          throw new IOException(refused, e);
        }
        if (isAuth(e)) {
          throw new IOException(
              "cannot log in to "
                  + host
                  + ": it refused every key offered ("
                  + login.offered()
                  + "); add the public key to its ~/.ssh/authorized_keys",
              e);
        }
        AgentSocketClient.AgentUnreachableException agent = agentUnreachable(e);
        if (agent != null) {
          throw new IOException(agent.getMessage(), e);
        }
        last = new IOException("cannot log in to " + host + ": " + oneLine(e), e);
      }
    }
    throw new IOException(
        last.getMessage() + " (gave up after " + (reconnects + 1) + " tries)", last.getCause());
  }

  /** Closes the connection; what runs on it fails as a lost connection. */
  synchronized void close() {
    closeQuietly(session);
    session = null;
  }

  private static boolean isAuth(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("no more authentication methods");
  }

  private static AgentSocketClient.AgentUnreachableException agentUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentSocketClient.AgentUnreachableException a) {
        return a;
      }
    }
    return null;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void closeQuietly(ClientSession s) {
    if (s != null) {
      s.close(true);
    }
  }
}
