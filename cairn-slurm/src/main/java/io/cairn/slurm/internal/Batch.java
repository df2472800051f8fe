package io.cairn.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
   * each job its id.
   */
  static void submit(Slurm slurm, Path spool, Key key, List<SlurmJob> jobs) throws IOException {
    Path manifest = Files.createTempFile(spool, "array-", ".list");
    List<String> lines = new ArrayList<>();
    for (SlurmJob j : jobs) {
      lines.add(j.wrapper.toString());
    }
    Files.write(manifest, lines);
    Path script = Path.of(manifest.toString().replace(".list", ".sh"));
    Files.writeString(
        script,
        "#!/bin/sh\nexec /bin/sh \"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" "
            + Wrapper.quote(manifest.toString())
            + ")\"\n");
    List<String> options = new ArrayList<>(key.options());
    options.add("--array=0-" + (jobs.size() - 1));
    options.add("--job-name=cairn");
    // The wrapper sends the script's output to its own files; this catches only Slurm's.
    options.add("--output=" + spool.resolve("slurm-%A_%a.out"));
    options.add("--chdir=" + spool);
    String id = slurm.sbatch(options, script.toString());
    for (int i = 0; i < jobs.size(); i++) {
      jobs.get(i).jobId = id + "_" + i;
    }
  }
}
