package io.cairn.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One job array of identical worker processes: a batch script that {@code exec}s the command (so
 * Slurm's signals reach the worker itself, not a shell that would ignore them), submitted with one
 * sbatch.
 */
public final class WorkerArray {
  private WorkerArray() {}

  /** What {@code SlurmWorkers.Builder} checked. */
  public record Request(
      List<String> command,
      int count,
      String partition,
      long minutes,
      int cpus,
      long memoryMb,
      String jobName,
      Path logDir,
      Path workDir) {}

  /** The array job id, the script, and Slurm's output file pattern. */
  public record Submitted(String jobId, Path script, String output) {}

  public static Submitted submit(Request r) throws IOException {
    Files.createDirectories(r.logDir());
    Path script = Files.createTempFile(r.logDir(), r.jobName() + "-", ".sh");
    StringBuilder b = new StringBuilder("#!/bin/sh\n");
    b.append("# ").append(r.count()).append(" workers, one per array element\nexec");
    for (String word : r.command()) {
      b.append(' ').append(Wrapper.quote(word));
    }
    b.append('\n');
    Files.writeString(script, b.toString());
    List<String> options =
        new ArrayList<>(
            new Batch.Key(r.partition(), r.minutes(), r.cpus(), r.memoryMb()).options());
    String output = r.logDir().resolve(r.jobName() + "-%A_%a.out").toString();
    options.add("--array=0-" + (r.count() - 1));
    options.add("--job-name=" + r.jobName());
    options.add("--output=" + output);
    options.add("--chdir=" + r.workDir());
    try {
      return new Submitted(
          new Slurm(new LocalShell(r.logDir())).sbatch(options, script.toString()), script, output);
    } catch (IOException e) {
      Files.deleteIfExists(script);
      throw missing("sbatch", e);
    }
  }

  /** "jobid_task STATE" lines of the array's elements that the controller still knows. */
  public static List<String> states(String arrayJobId) throws IOException {
    try {
      return new Slurm(new LocalShell(Path.of("."))).states(List.of(arrayJobId));
    } catch (IOException e) {
      throw missing("squeue", e);
    }
  }

  /** A command not on PATH says so, and how to fix it, instead of the JDK's errno text. */
  private static IOException missing(String command, IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Cannot run program \"" + command + "\"")) {
      return new IOException(
          command
              + " is not on PATH: run this on a Slurm login node, or add Slurm's bin directory to"
              + " PATH",
          e);
    }
    return e;
  }
}
