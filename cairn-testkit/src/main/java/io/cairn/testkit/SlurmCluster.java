package io.cairn.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Slurm on this machine (munged, slurmctld, slurmd), configured and started once
 * and reused: by later tests of this JVM and by later runs while the daemons live. Needs root and
 * the Debian packages slurmctld, slurmd, slurm-client and munge ({@code .ci/run} installs them).
 */
public final class SlurmCluster {
  private static volatile boolean up;

  private SlurmCluster() {}

  /** Starts the cluster if it is not running and waits until its node is idle. */
  public static synchronized void ensureRunning() {
    if (up) {
      return;
    }
    try (InputStream in = SlurmCluster.class.getResourceAsStream("slurm-up.sh")) {
      Path script = Files.createTempFile("cairn-slurm-up", ".sh");
      Files.write(script, in.readAllBytes());
      Process p = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "cannot start a local slurm (install slurmctld slurmd slurm-client munge; run as root): "
                + out.strip());
      }
      Files.deleteIfExists(script);
      up = true;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a local slurm: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting slurm", e);
    }
  }
}
