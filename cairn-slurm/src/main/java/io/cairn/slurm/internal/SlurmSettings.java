package io.cairn.slurm.internal;

import io.cairn.ssh.SshHost;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link io.cairn.slurm.SlurmExecutor.Builder} checked, for {@link SlurmPool}.
 *
 * @param spool the local spool directory, or null with a login node
 * @param login the login node to reach Slurm through, or null for Slurm's commands on PATH
 */
public record SlurmSettings(
    String partition,
    Duration timeLimit,
    int cpus,
    long memoryMb,
    int capacity,
    Duration batchWindow,
    Duration pollInterval,
    Path spool,
    Login login) {

  /**
   * A login node: where the commands run and the files live, under {@code remoteDir}.
   *
   * @param remoteDir relative to the login directory unless absolute
   */
  public record Login(SshHost host, Path key, Path knownHosts, String remoteDir) {}
}
