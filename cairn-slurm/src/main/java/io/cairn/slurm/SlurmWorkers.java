package io.cairn.slurm;

import io.cairn.slurm.internal.SlurmChecks;
import io.cairn.slurm.internal.WorkerArray;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Submits worker processes to Slurm as <b>one job array</b>: every element runs the same command
 * line, typically {@code cairn worker --classpath app.jar --idle-exit 60}, which takes work from
 * the durable queue in the shared state store ({@code cairn run --workers 0} or {@code
 * Cairn.submit} queued it) until it has been idle that long. The executor's rule holds: Slurm only
 * starts the workers; leases, status, logs and results stay in the state store, so a worker that
 * Slurm kills (time limit, preemption) loses nothing but its running attempts, which other workers
 * take over.
 *
 * <p>The command is written to a batch script (in the log directory) that each element {@code
 * exec}s, in the working directory, with the environment of the process that runs {@code sbatch}
 * (Slurm's default {@code --export=ALL}): pass secrets such as {@code PGPASSWORD} that way, never
 * in the command, which is stored in the script.
 *
 * <pre>{@code
 * SlurmWorkers.Submitted s =
 *     SlurmWorkers.builder()
 *         .command(List.of("/opt/cairn/bin/cairn", "--home", "/shared/proj/.cairn",
 *             "worker", "--classpath", "/shared/proj/app.jar", "--idle-exit", "60"))
 *         .count(8).cpus(4).memoryMb(8_000).timeLimit(Duration.ofHours(2))
 *         .logDir(Path.of("/shared/proj/.cairn/slurm"))
 *         .submit();
 * }</pre>
 *
 * <p>Thread-safety: a builder is for one thread; {@link #states} may be called from any.
 */
public final class SlurmWorkers {
  /** Slurm's default MaxArraySize is 1001: indexes 0 to 1000. */
  public static final int MAX_COUNT = 1_000;

  private SlurmWorkers() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A submitted array.
   *
   * @param jobId Slurm's array job id; element {@code i} is {@code jobId_i}
   * @param count how many elements (workers)
   * @param script the batch script every element runs
   * @param output Slurm's output file pattern of the elements ({@code %A} the array job id, {@code
   *     %a} the element)
   */
  public record Submitted(String jobId, int count, Path script, String output) {}

  /**
   * The state of one array element as {@code squeue} shows it.
   *
   * @param jobId {@code arrayId_index}, or {@code arrayId_[0-9]} for elements not started yet
   * @param state Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ...
   */
  public record Element(String jobId, String state) {}

  /**
   * The elements of an array that the controller still knows (finished ones for a few minutes,
   * Slurm's {@code MinJobAge}), from {@code squeue -r -t all}.
   *
   * @throws IllegalArgumentException if {@code arrayJobId} is not a number
   * @throws IOException if squeue is missing or fails
   */
  public static List<Element> states(String arrayJobId) throws IOException {
    if (arrayJobId == null || !arrayJobId.matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException(
          "slurm array job id must be a number such as 1234, got '" + arrayJobId + "'");
    }
    return WorkerArray.states(arrayJobId).stream()
        .map(l -> l.split(" ", 2))
        .map(f -> new Element(f[0], f.length > 1 ? f[1] : ""))
        .toList();
  }

  /** What to submit; {@link #submit()} checks that a command, a count and a log dir were given. */
  public static final class Builder {
    private List<String> command;
    private int count;
    private String partition;
    private Duration timeLimit;
    private int cpus;
    private long memoryMb;
    private String jobName = "cairn-worker";
    private Path logDir;
    private Path workDir = Path.of("").toAbsolutePath();

    private Builder() {}

    /** The command line every element runs (program first), exactly as given. */
    public Builder command(List<String> argv) {
      if (argv == null || argv.isEmpty() || argv.stream().anyMatch(a -> a == null)) {
        throw new IllegalArgumentException(
            "slurm workers need a command line: the program and its arguments, none null");
      }
      this.command = List.copyOf(argv);
      return this;
    }

    /** How many workers: the array's size, 1 to {@value #MAX_COUNT}. */
    public Builder count(int n) {
      if (n < 1 || n > MAX_COUNT) {
        throw new IllegalArgumentException(
            "slurm worker count must be 1 to " + MAX_COUNT + " (one array), got " + n);
      }
      this.count = n;
      return this;
    }

    /** The partition to submit to (default: the cluster's default partition). */
    public Builder partition(String name) {
      this.partition = SlurmChecks.partition(name);
      return this;
    }

    /**
     * Slurm's time limit per worker, rounded up to whole minutes (default: the partition's). At the
     * limit Slurm sends SIGTERM: a {@code cairn worker} stops claiming, drains, and gives back what
     * it still holds.
     */
    public Builder timeLimit(Duration d) {
      this.timeLimit = SlurmChecks.timeLimit(d);
      return this;
    }

    /** CPUs per worker, Slurm's {@code --cpus-per-task} (default: the partition's, usually 1). */
    public Builder cpus(int n) {
      this.cpus = SlurmChecks.cpus(n);
      return this;
    }

    /** Memory per worker in MB, Slurm's {@code --mem} (default: the partition's). */
    public Builder memoryMb(long mb) {
      this.memoryMb = SlurmChecks.memoryMb(mb);
      return this;
    }

    /** The array's job name, shown by squeue (default {@code cairn-worker}). */
    public Builder jobName(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException(
            "slurm job name must be 1-64 letters, digits, '_', '.' or '-', got '" + name + "'");
      }
      this.jobName = name;
      return this;
    }

    /**
     * Where the batch script and Slurm's output of each element go; it must be on a file system the
     * compute nodes share with this machine (created if missing).
     */
    public Builder logDir(Path dir) {
      if (dir == null) {
        throw new IllegalArgumentException("slurm workers' log dir must not be null");
      }
      this.logDir = dir.toAbsolutePath().normalize();
      return this;
    }

    /** The elements' working directory (default: this process's). */
    public Builder workDir(Path dir) {
      if (dir == null) {
        throw new IllegalArgumentException("slurm workers' working dir must not be null");
      }
      this.workDir = dir.toAbsolutePath().normalize();
      return this;
    }

    /**
     * Writes the batch script and submits it with one {@code sbatch --array=0-(count-1)}.
     *
     * @throws IllegalStateException if no command, count or log dir was given
     * @throws IOException if the script cannot be written, sbatch is not on PATH, or sbatch refuses
     *     (its own message, on one line)
     */
    public Submitted submit() throws IOException {
      if (command == null) {
        throw new IllegalStateException("slurm workers need a command: call command(argv)");
      }
      if (count == 0) {
        throw new IllegalStateException("slurm workers need a count: call count(n)");
      }
      if (logDir == null) {
        throw new IllegalStateException(
            "slurm workers need a log dir the compute nodes share: call logDir(dir)");
      }
      long minutes = timeLimit == null ? 0 : (timeLimit.toSeconds() + 59) / 60;
      WorkerArray.Submitted s =
          WorkerArray.submit(
              new WorkerArray.Request(
                  command, count, partition, minutes, cpus, memoryMb, jobName, logDir, workDir));
      return new Submitted(s.jobId(), count, s.script(), s.output());
    }
  }
}
