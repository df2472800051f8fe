package io.cairn.ssh;

import io.cairn.spi.ResourceExecutor;
import io.cairn.ssh.internal.SshPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs script tasks on SSH hosts: each attempt in a working directory of its own under the remote
 * directory, its inputs staged in and outputs staged back over SFTP, its stdout and stderr streamed
 * into the attempt's log, its timeout enforced by killing the remote process group, the directory
 * removed afterwards. Host keys are checked against a known-hosts file (an unknown or changed key
 * is refused); login is by private key. One connection per host serves all its attempts; a lost
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
  private SshExecutor() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an SSH executor; {@link #build()} checks them. */
  public static final class Builder {
    private final List<SshHost> hosts = new ArrayList<>();
    private Path key;
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

    /** The private key file (OpenSSH or PEM, without a passphrase) to log in with. */
    public Builder key(Path file) {
      this.key = file;
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
      if (key == null || !Files.isReadable(key)) {
        throw new IllegalArgumentException(
            "ssh key file "
                + (key == null ? "is not set" : key + " is not a readable file")
                + ": give key(path) of a private key the hosts accept");
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
          List.copyOf(hosts), key, knownHosts, maxPerHost, remoteDir, connectTimeout, reconnects);
    }
  }
}
