package io.cairn.slurm;

import io.cairn.slurm.internal.SlurmChecks;
import io.cairn.slurm.internal.SlurmPool;
import io.cairn.slurm.internal.SlurmSettings;
import io.cairn.spi.ResourceExecutor;
import io.cairn.ssh.SshHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs script tasks as Slurm jobs: the starts of one scheduling round are collected for a short
 * batching window and submitted with one {@code sbatch --array} per kind of request (partition,
 * time limit, CPUs, memory). Each job's wrapper runs the script in the attempt's working directory
 * and writes its stdout, stderr and exit code to files there, which the executor tails into the
 * attempt's log (no accounting database is needed). Job state comes from {@code squeue}; a cancel,
 * a lost lease or a timeout {@code scancel}s the job. The working directories and the spool
 * directory must be on a file system the compute nodes share with this machine; or, with {@link
 * Builder#login}, Slurm is reached through a login node over SSH and every job file lives there.
 *
 * <pre>{@code
 * ResourceExecutor slurm = SlurmExecutor.builder().partition("short").cpus(1).memoryMb(512).build();
 * }</pre>
 */
public final class SlurmExecutor {
  private SlurmExecutor() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a Slurm executor; {@link #build()} checks them. */
  public static final class Builder {
    private String partition;
    private Duration timeLimit;
    private int cpus;
    private long memoryMb;
    private int capacity = 100;
    private Duration batchWindow = Duration.ofMillis(200);
    private Duration pollInterval = Duration.ofMillis(250);
    private Path spool;
    private SshHost login;
    private Path loginKey;
    private Path loginKnownHosts;
    private String remoteDir;

    private Builder() {}

    /** The partition to submit to (default: the cluster's default partition). */
    public Builder partition(String name) {
      this.partition = SlurmChecks.partition(name);
      return this;
    }

    /** Slurm's time limit per job, whole minutes (default: the task's timeout plus a minute). */
    public Builder timeLimit(Duration d) {
      this.timeLimit = SlurmChecks.timeLimit(d);
      return this;
    }

    /** CPUs per job at least (a task's needs may ask for more). */
    public Builder cpus(int n) {
      this.cpus = SlurmChecks.cpus(n);
      return this;
    }

    /** Memory per job in MB at least (a task's needs may ask for more). */
    public Builder memoryMb(long mb) {
      this.memoryMb = SlurmChecks.memoryMb(mb);
      return this;
    }

    /** How many jobs may be submitted and not yet finished at once (default 100). */
    public Builder capacity(int n) {
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("slurm capacity must be 1-100000, got " + n);
      }
      this.capacity = n;
      return this;
    }

    /** How long starts are collected into one array before sbatch (default 200 ms). */
    public Builder batchWindow(Duration d) {
      if (d == null || d.isNegative() || d.toMillis() > 60_000) {
        throw new IllegalArgumentException("slurm batch window must be 0-60 s, got " + d);
      }
      this.batchWindow = d;
      return this;
    }

    /** How often job files and squeue are looked at (default 250 ms). */
    public Builder pollInterval(Duration d) {
      if (d == null || d.toMillis() < 10 || d.toMillis() > 60_000) {
        throw new IllegalArgumentException("slurm poll interval must be 10 ms-60 s, got " + d);
      }
      this.pollInterval = d;
      return this;
    }

    /**
     * Where array manifests and Slurm's own output go; must be visible to the compute nodes
     * (default: a new temporary directory).
     */
    public Builder spool(Path dir) {
      if (dir == null) {
        throw new IllegalArgumentException("slurm spool dir must not be null");
      }
      this.spool = dir;
      return this;
    }

    /**
     * Reaches Slurm through a login node over SSH instead of running its commands here: {@code
     * sbatch}, {@code squeue} and {@code scancel} run there over one reused connection, and every
     * file of a job (wrapper, control files, working directory with staged inputs and outputs) is
     * written and read over SFTP under {@link #remoteDir}, on a file system the compute nodes share
     * with the login node.
     *
     * @param host the login node, {@code user@host[:port]} parsed with {@link SshHost#parse}
     * @param key a private key file without a passphrase that the host accepts
     * @param knownHosts a known-hosts file holding the host's key (an unknown key is refused)
     */
    public Builder login(SshHost host, Path key, Path knownHosts) {
      if (host == null) {
        throw new IllegalArgumentException("slurm login host must not be null");
      }
      if (key == null || !Files.isReadable(key)) {
        throw new IllegalArgumentException(
            "ssh key file "
                + (key == null ? "is not set" : key + " is not a readable file")
                + ": give login(host, key, knownHosts) a private key the login node accepts");
      }
      if (knownHosts == null || !Files.isReadable(knownHosts)) {
        throw new IllegalArgumentException(
            "known-hosts file "
                + (knownHosts == null ? "is not set" : knownHosts + " is not a readable file")
                + ": add the login node with ssh-keyscan -p PORT HOST >> FILE");
      }
      this.login = host;
      this.loginKey = key;
      this.loginKnownHosts = knownHosts;
      return this;
    }

    /**
     * With {@link #login}: the directory on the cluster for the jobs' files, relative to the login
     * directory unless absolute (default {@code .cairn/slurm}); the compute nodes must see it.
     */
    public Builder remoteDir(String dir) {
      if (dir == null || dir.isBlank() || dir.contains("\n") || dir.contains("\0")) {
        throw new IllegalArgumentException(
            "slurm remote dir must be a non-empty path without newlines, got '" + dir + "'");
      }
      this.remoteDir =
          dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir;
      return this;
    }

    /**
     * The executor; with a login node it connects when the first job starts.
     *
     * @throws IllegalArgumentException if settings conflict
     */
    public ResourceExecutor build() {
      if (login != null) {
        if (spool != null) {
          throw new IllegalArgumentException(
              "slurm spool is a local dir; with login() the spool is under remoteDir on the"
                  + " cluster: drop spool()");
        }
        return new SlurmPool(
            new SlurmSettings(
                partition,
                timeLimit,
                cpus,
                memoryMb,
                capacity,
                batchWindow,
                pollInterval,
                null,
                new SlurmSettings.Login(
                    login,
                    loginKey,
                    loginKnownHosts,
                    remoteDir == null ? ".cairn/slurm" : remoteDir)));
      }
      if (remoteDir != null) {
        throw new IllegalArgumentException(
            "slurm remote dir only applies with login(): set login(...) or drop remoteDir()");
      }
      Path dir = spool;
      try {
        dir = dir == null ? Files.createTempDirectory("cairn-slurm") : Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot make the slurm spool dir " + dir + ": " + e.getMessage(), e);
      }
      return new SlurmPool(
          new SlurmSettings(
              partition,
              timeLimit,
              cpus,
              memoryMb,
              capacity,
              batchWindow,
              pollInterval,
              dir.toAbsolutePath(),
              null));
    }
  }
}
