package io.cairn.slurm.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** One sbatch call: jobs that ask for the same resources, submitted as one job array. */
final class Batch {
  private Batch() {}

  /**
   * What one array asks of Slurm.
   *
   * @param partition a partition, or null for the default
   * @param minutes the time limit in minutes, or 0 for the partition's
   * @param cpus CPUs per task, or 0 for 1
   * @param memoryMb memory per task in MB, or 0 for the partition's default
   */
  record Key(String partition, long minutes, int cpus, long memoryMb) {
    List<String> options() {
      List<String> o = new ArrayList<>();
      if (partition != null) {
        o.add("--partition=" + partition);
      }
      if (minutes > 0) {
        o.add("--time=" + minutes);
      }
      if (cpus > 0) {
        o.add("--cpus-per-task=" + cpus);
      }
      if (memoryMb > 0) {
        o.add("--mem=" + memoryMb + "M");
      }
      return o;
    }
  }

  /**
   * Submits the jobs as one array whose task i runs the i-th wrapper of a manifest file, and gives
   * each job its id and the array's files, which the last of them to end hands back for removal.
   */
  static void submit(Slurm slurm, ClusterShell shell, Key key, List<SlurmJob> jobs)
      throws IOException {
    String spool = shell.spool();
    String base =
        shell.resolve(
            spool, "array-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    String manifest = base + ".list";
    StringBuilder lines = new StringBuilder();
    for (SlurmJob j : jobs) {
      lines.append(j.wrapper).append('\n');
    }
    write(shell, manifest, lines.toString());
    String script = base + ".sh";
    write(
        shell,
        script,
        "#!/bin/sh\nexec /bin/sh \"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" "
            + Wrapper.quote(manifest)
            + ")\"\n");
    List<String> options = new ArrayList<>(key.options());
    options.add("--array=0-" + (jobs.size() - 1));
    options.add("--job-name=cairn");
    // The wrapper sends the script's output to its own files; this catches only Slurm's.
    options.add("--output=" + shell.resolve(spool, "slurm-%A_%a.out"));
    options.add("--chdir=" + spool);
    String id;
    try {
      id = slurm.sbatch(options, script);
    } catch (IOException | RuntimeException e) {
      // Also when sbatch's answer was lost with the connection after Slurm took the array: its
      // elements then find no manifest and end at once instead of running beside the retries.
      try {
        shell.remove(List.of(manifest, script));
      } catch (IOException | RuntimeException again) {
        // the same failure, most likely; the files are small and inside the spool
      }
      throw e;
    }
    List<String> all = new ArrayList<>(List.of(manifest, script));
    for (int i = 0; i < jobs.size(); i++) {
      all.add(shell.resolve(spool, "slurm-" + id + "_" + i + ".out"));
    }
    ArrayFiles files = new ArrayFiles(all, jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      jobs.get(i).jobId = id + "_" + i;
      jobs.get(i).array = files;
    }
  }

  private static void write(ClusterShell shell, String file, String text) throws IOException {
    try (OutputStream o = shell.create(file)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An array's files in the spool, removed once every job of the array has ended. */
  static final class ArrayFiles {
    final List<String> paths;
    private final AtomicInteger running;

    ArrayFiles(List<String> paths, int jobs) {
      this.paths = List.copyOf(paths);
      this.running = new AtomicInteger(jobs);
    }

    /** Whether this was the last job of the array to end. */
    boolean release() {
      return running.decrementAndGet() == 0;
    }
  }
}
