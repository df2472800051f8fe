package io.cairn.ssh.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An ssh-agent client over the agent's Unix domain socket, with the JDK's own socket support
 * (MINA's {@code UnixAgentFactory} needs Tomcat's native library). MINA's proxy writes the agent
 * protocol messages (request identities, sign with the RSA SHA-2 flags); this class only carries
 * them: one length-prefixed request, then one length-prefixed reply. MINA makes one client per
 * login and asks from one thread at a time, so a single connection, opened on the first request,
 * needs no locking beyond {@code synchronized}.
 */
final class AgentSocketClient extends AbstractAgentProxy {
  /** OpenSSH refuses agent messages over 256 KiB; a larger length means a broken stream. */
  private static final int MAX_REPLY = 256 * 1024;

  private final Path socket;
  private final AgentSocketFactory factory;
  private SocketChannel channel; // guarded by this
  private boolean closed; // guarded by this

  AgentSocketClient(Path socket, AgentSocketFactory factory) {
    super(null);
    this.socket = socket;
    this.factory = factory;
  }

  @Override
  public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
    // Counted for a refused login's message: "2 identities of the ssh agent at ...".
    Iterable<? extends Map.Entry<PublicKey, String>> ids = super.getIdentities();
    int n = 0;
    for (var ignored : ids) {
      n++;
    }
    factory.offered(n);
    return ids;
  }

  @Override
  protected synchronized Buffer request(Buffer buffer) throws IOException {
    if (closed) {
      throw new IOException("the ssh agent client for " + socket + " is closed");
    }
    SocketChannel ch = connect();
    try {
      ch.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
      ByteBuffer len = ByteBuffer.allocate(4);
      readFully(ch, len);
      int n = len.flip().getInt();
      if (n < 1 || n > MAX_REPLY) {
        throw new IOException("the ssh agent at " + socket + " sent a reply of " + n + " bytes");
      }
      ByteBuffer body = ByteBuffer.allocate(n);
      readFully(ch, body);
      return new ByteArrayBuffer(body.array());
    } catch (IOException e) {
      closeChannel();
      throw e;
    }
  }

  private SocketChannel connect() throws IOException {
    if (channel == null) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        ch.close();
        throw new AgentUnreachableException(
            "cannot reach the ssh agent at "
                + socket
                + " ("
                + HostConnection.oneLine(e)
                + "): start one with ssh-agent and ssh-add, or give a key file",
            e);
      }
      channel = ch;
    }
    return channel;
  }

  private void readFully(SocketChannel ch, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (ch.read(into) < 0) {
        throw new EOFException("the ssh agent at " + socket + " closed the connection");
      }
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // A socket that fails to close has nothing left to give us.
      }
      channel = null;
    }
  }

  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    closeChannel();
    super.close();
  }

  /** The agent's socket cannot be reached: logging in again would fail the same way. */
  static final class AgentUnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    AgentUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
