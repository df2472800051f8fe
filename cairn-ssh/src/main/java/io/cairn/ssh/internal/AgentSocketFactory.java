package io.cairn.ssh.internal;

import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * Gives MINA's public-key login an {@link AgentSocketClient} per login, so the identities of the
 * ssh-agent at one socket are offered (before any key file: MINA's order, as OpenSSH's). Client
 * side only: Cairn never forwards the agent to the hosts it runs scripts on.
 */
final class AgentSocketFactory implements SshAgentFactory {
  private final Path socket;
  private volatile int lastOffered = -1;

  AgentSocketFactory(Path socket) {
    this.socket = socket;
  }

  Path socket() {
    return socket;
  }

  /** How many identities the agent offered at the last login, or -1 before any. */
  int lastOffered() {
    return lastOffered;
  }

  void offered(int n) {
    lastOffered = n;
  }

  @Override
  public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
    return List.of();
  }

  @Override
  public SshAgent createClient(Session session, FactoryManager manager) {
    return new AgentSocketClient(socket, this);
  }

  @Override
  public SshAgentServer createServer(ConnectionService service) {
    throw new UnsupportedOperationException("cairn does not forward the ssh agent");
  }
}
