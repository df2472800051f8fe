package io.cairn.slurm.internal;

import java.time.Duration;

/**
 * The checks of Slurm's request options, one copy for the executor's and the workers' builders:
 * each returns its value or says in one line what was wrong.
 */
public final class SlurmChecks {
  private SlurmChecks() {}

  /** A partition name as sbatch takes it. */
  public static String partition(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "slurm partition must be a name of letters, digits, '_', '.' or '-', got '" + name + "'");
    }
    return name;
  }

  public static Duration timeLimit(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("slurm time limit must be positive, got " + d);
    }
    return d;
  }

  public static int cpus(int n) {
    if (n < 1 || n > 10_000) {
      throw new IllegalArgumentException("slurm cpus must be 1-10000, got " + n);
    }
    return n;
  }

  public static long memoryMb(long mb) {
    if (mb < 1) {
      throw new IllegalArgumentException("slurm memory must be at least 1 MB, got " + mb);
    }
    return mb;
  }
}
