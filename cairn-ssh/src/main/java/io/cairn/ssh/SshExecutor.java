package io.cairn.ssh;

import io.cairn.spi.ResourceExecutor;
import io.cairn.ssh.internal.Login;
import io.cairn.ssh.internal.SshPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs script tasks on SSH hosts: each attempt in a working directory of its own under the remote
 * directory, its inputs staged in and outputs staged back over SFTP, its stdout and stderr streamed
 * into the attempt's log, its timeout enforced by killing the remote process group, the directory
 * removed afterwards. Host keys are checked against a known-hosts file (an unknown or changed key
 * is refused); login is by a private key file (a passphrase from an environment variable) or by the
 * identities of a running ssh-agent. One connection per host serves all its attempts; a lost
 * connection fails the attempts it carried (retryable, never succeeded) and the next attempt
 * reconnects, a bounded number of times with backoff.
 *
 * <pre>{@code
 * ResourceExecutor ssh = SshExecutor.builder()
 *     .host("alice@node1:22").host("alice@node2")
 *     .key(Path.of("/home/alice/.ssh/id_ed25519"))
 *     .knownHosts(Path.of("/home/alice/.ssh/known_hosts"))
 *     .maxPerHost(4)
 *     .build();
 * Cairn.builder().executor("cluster", ssh) ...
 * }</pre>
 */
public final class SshExecutor {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SshExecutor() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an SSH executor; {@link #build()} checks them. */
  public static final class Builder {
    private final List<SshHost> hosts = new ArrayList<>();
    private Path key;
    private String keyPassphraseEnv;
    private Boolean agent; // null: the agent of SSH_AUTH_SOCK when no key file is given
    private Path agentSocket;
    private Function<String, String> env = System::getenv;
    private Path knownHosts;
    private int maxPerHost = 4;
    private String remoteDir = ".cairn/jobs";
    private Duration connectTimeout = Duration.ofSeconds(15);
    private int reconnects = 3;

    private Builder() {}

    /** Adds a host, {@code user@host} or {@code user@host:port}. */
    public Builder host(String address) {
      hosts.add(SshHost.parse(address));
      return this;
    }

    public Builder host(SshHost host) {
      if (host == null) {
        throw new IllegalArgumentException("ssh host must not be null");
      }
      hosts.add(host);
      return this;
    }

    /**
     * The private key file (OpenSSH or PEM) to log in with. Optional when an ssh-agent is used; a
     * key protected by a passphrase also needs {@link #keyPassphraseEnv}.
     */
    public Builder key(Path file) {
      this.key = file;
      return this;
    }

    /**
     * The environment variable that holds the key file's passphrase (read once by {@link #build()};
     * the passphrase itself is never a setting, so it stays out of files and logs).
     */
    public Builder keyPassphraseEnv(String variable) {
      if (variable == null || !ENV_NAME.matcher(variable).matches()) {
        throw new IllegalArgumentException(
            "key passphrase env must name an environment variable (letters, digits, _), got '"
                + variable
                + "'");
      }
      this.keyPassphraseEnv = variable;
      return this;
    }

    /**
     * Whether to offer the identities of the ssh-agent named by {@code SSH_AUTH_SOCK} (offered
     * before the key file's). By default the agent is used only when no key file is given.
     */
    public Builder agent(boolean use) {
      this.agent = use;
      this.agentSocket = null;
      return this;
    }

    /** Uses the ssh-agent listening on this Unix socket (instead of {@code SSH_AUTH_SOCK}). */
    public Builder agentSocket(Path socket) {
      if (socket == null) {
        throw new IllegalArgumentException("ssh agent socket must not be null: give its path");
      }
      this.agent = true;
      this.agentSocket = socket;
      return this;
    }

    /** Where environment variables are read from (tests; {@code System::getenv} otherwise). */
    Builder environment(Function<String, String> variables) {
      this.env = variables;
      return this;
    }

    /** The known-hosts file every host's key must be in (as {@code ssh-keyscan} writes it). */
    public Builder knownHosts(Path file) {
      this.knownHosts = file;
      return this;
    }

    /** How many attempts run on one host at once (default 4; OpenSSH allows 10 channels). */
    public Builder maxPerHost(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("max per host must be 1-1000, got " + n);
      }
      this.maxPerHost = n;
      return this;
    }

    /**
     * The remote directory under which each attempt gets its own working directory; relative to the
     * login directory unless absolute (default {@code .cairn/jobs}).
     */
    public Builder remoteDir(String dir) {
      if (dir == null || dir.isBlank() || dir.contains("'") || dir.contains("\n")) {
        throw new IllegalArgumentException(
            "remote dir must be a non-empty path without quotes or newlines, got '" + dir + "'");
      }
      this.remoteDir =
          dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
      return this;
    }

    /** How long connecting and logging in may take (default 15 s). */
    public Builder connectTimeout(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("connect timeout must be positive, got " + d);
      }
      this.connectTimeout = d;
      return this;
    }

    /** How many times a lost connection is re-established before an attempt fails (default 3). */
    public Builder reconnects(int n) {
      if (n < 0 || n > 100) {
        throw new IllegalArgumentException("reconnects must be 0-100, got " + n);
      }
      this.reconnects = n;
      return this;
    }

    /**
     * The executor; it connects to a host when the first attempt runs there.
     *
     * @throws IllegalArgumentException if no host is given or a file is missing
     */
    public ResourceExecutor build() {
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("an ssh executor needs at least one host: call host()");
      }
      if (key != null && !Files.isReadable(key)) {
        throw new IllegalArgumentException(
            "ssh key file " + key + " is not a readable file: give key(path) of a private key");
      }
      Path socket = agentSocket();
      if (key == null && socket == null) {
        throw new IllegalArgumentException(
            "an ssh executor needs a way to log in: give key(path) of a private key, or run an"
                + " ssh-agent (SSH_AUTH_SOCK is not set)");
      }
      if (knownHosts == null || !Files.isReadable(knownHosts)) {
        throw new IllegalArgumentException(
            "known-hosts file "
                + (knownHosts == null ? "is not set" : knownHosts + " is not a readable file")
                + ": give knownHosts(path); add hosts with ssh-keyscan -p PORT HOST >> FILE");
      }
      if (hosts.stream().distinct().count() != hosts.size()) {
        throw new IllegalArgumentException("ssh hosts must not repeat, got " + hosts);
      }
      return new SshPool(
          List.copyOf(hosts),
          Login.of(key, keyPassphraseEnv, socket, env),
          knownHosts,
          maxPerHost,
          remoteDir,
          connectTimeout,
          reconnects);
    }

    private Path agentSocket() {
      if (Boolean.FALSE.equals(agent)) {
        return null;
      }
      if (agentSocket != null) {
        if (!Files.exists(agentSocket)) {
          throw new IllegalArgumentException(
              "ssh agent socket "
                  + agentSocket
                  + " does not exist: start ssh-agent, or give the socket it printed");
        }
        return agentSocket;
      }
      String sock = env.apply("SSH_AUTH_SOCK");
      boolean set = sock != null && !sock.isBlank();
      if (Boolean.TRUE.equals(agent) && !set) {
        throw new IllegalArgumentException(
            "agent(true) needs a running ssh-agent, but SSH_AUTH_SOCK is not set: start one"
                + " (eval $(ssh-agent); ssh-add) or give agentSocket(path)");
      }
      if (!set || (agent == null && key != null)) {
        return null; // a configured key file is not second-guessed by an ambient agent
      }
      Path socket = Path.of(sock);
      if (!Files.exists(socket)) {
        throw new IllegalArgumentException(
            "SSH_AUTH_SOCK names "
                + socket
                + ", which does not exist: start ssh-agent again, or give key(path)");
      }
      return socket;
    }
  }
}
