package io.cairn.ssh.internal;

import io.cairn.ssh.SshHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * One reused SSH connection to a login node, for executors that drive something there (Slurm's
 * commands) rather than run each script on their own channel: short commands with their output and
 * exit code, and file access over one shared SFTP channel. A lost connection is re-established by
 * the next call, bounded with backoff ({@link HostConnection}); a call that was under way when it
 * dropped throws, and the caller decides whether to ask again. Public only so that {@code
 * cairn-slurm} can reuse it; not an API.
 *
 * <p>Thread-safe: calls from several threads share the connection and the SFTP channel (MINA
 * multiplexes requests on both).
 */
public final class SshLogin implements AutoCloseable {
  private final SshClient client;
  private final HostConnection conn;
  private SftpClient sftp; // guarded by this
  private ClientSession sftpSession; // the session sftp runs on; guarded by this

  private SshLogin(SshClient client, HostConnection conn) {
    this.client = client;
    this.conn = conn;
  }

  /**
   * Prepares the connection; it is opened by the first call.
   *
   * @throws IllegalArgumentException if the key file cannot be read
   */
  public static SshLogin open(
      SshHost host, Path key, Path knownHosts, Duration connectTimeout, int reconnects) {
    Login login = Login.of(key, null, null, System::getenv);
    HostKeys hostKeys = new HostKeys(knownHosts);
    SshClient c = SshPool.startClient(hostKeys, login);
    return new SshLogin(
        c, new HostConnection(c, host, login, hostKeys, connectTimeout, reconnects));
  }

  public SshHost host() {
    return conn.host();
  }

  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs a shell command line on the host and waits for it.
   *
   * @throws IOException if the host cannot be reached, the connection drops before the command
   *     reports an exit code, or it does not end within {@code within}
   */
  public Result exec(String command, Duration within) throws IOException {
    ClientSession s = conn.session();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ChannelExec ch = s.createExecChannel(command)) {
      ch.setOut(out);
      ch.setErr(out);
      ch.open().verify(within);
      ch.getInvertedIn().close();
      var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), within);
      Integer code = ch.getExitStatus();
      if (code == null) {
        throw new IOException(
            (events.contains(ClientChannelEvent.TIMEOUT)
                    ? "no answer within " + within.toSeconds() + " s"
                    : "lost the connection")
                + " to "
                + conn.host().label()
                + " while running "
                + firstWord(command));
      }
      return new Result(code, out.toString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) { // MINA reports a closed session unchecked
      throw new IOException(
          "lost the connection to " + conn.host().label() + ": " + HostConnection.oneLine(e), e);
    }
  }

  /** The absolute form of a path (relative ones are under the login directory). */
  public String canonical(String path) throws IOException {
    return sftp().canonicalPath(path);
  }

  /** Makes a directory and its parents. */
  public void mkdirs(String path) throws IOException {
    RemoteRun.mkdirs(sftp(), path);
  }

  /** Creates or truncates a file; the caller closes the stream. */
  public OutputStream write(String path) throws IOException {
    return sftp().write(path);
  }

  /** Reads a whole file; the caller closes the stream. */
  public InputStream read(String path) throws IOException {
    return sftp().read(path);
  }

  /** Up to {@code max} bytes of a file from {@code offset}: fewer at its end, none if missing. */
  public byte[] read(String path, long offset, int max) throws IOException {
    SftpClient c = sftp();
    SftpClient.CloseableHandle h;
    try {
      h = c.open(path, SftpClient.OpenMode.Read);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return new byte[0];
      }
      throw e;
    }
    try (h) {
      byte[] buf = new byte[max];
      int n = 0;
      while (n < max) {
        int r = c.read(h, offset + n, buf, n, max - n);
        if (r <= 0) {
          break;
        }
        n += r;
      }
      return n == max ? buf : java.util.Arrays.copyOf(buf, n);
    }
  }

  /** The regular files of a directory and their sizes; empty if it does not exist. */
  public Map<String, Long> list(String dir) throws IOException {
    Map<String, Long> files = new LinkedHashMap<>();
    try {
      for (SftpClient.DirEntry e : sftp().readDir(dir)) {
        if (e.getAttributes().isRegularFile()) {
          files.put(e.getFilename(), e.getAttributes().getSize());
        }
      }
    } catch (SftpException e) {
      if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
    return files;
  }

  /** One SFTP channel for all callers, opened again once its connection was replaced. */
  private synchronized SftpClient sftp() throws IOException {
    ClientSession s = conn.session();
    if (sftp == null || !sftp.isOpen() || sftpSession != s) {
      if (sftp != null) {
        try {
          sftp.close();
        } catch (IOException e) {
          // the old channel died with its connection
        }
      }
      try {
        sftp = SftpClientFactory.instance().createSftpClient(s);
      } catch (RuntimeException e) {
        throw new IOException(
            "lost the connection to " + conn.host().label() + ": " + HostConnection.oneLine(e), e);
      }
      sftpSession = s;
    }
    return sftp;
  }

  private static String firstWord(String command) {
    int sp = command.indexOf(' ');
    return sp < 0 ? command : command.substring(0, sp);
  }

  @Override
  public void close() {
    conn.close();
    try {
      client.stop();
    } catch (RuntimeException e) {
      // Stopping closes sockets; a failure leaves nothing of ours behind.
    }
  }
}
