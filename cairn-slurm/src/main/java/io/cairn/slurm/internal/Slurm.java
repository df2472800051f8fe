package io.cairn.slurm.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Slurm's commands sbatch, squeue and scancel, run through the cluster shell. */
final class Slurm {
  private final ClusterShell shell;
  private final AtomicInteger sbatchCalls = new AtomicInteger();

  Slurm(ClusterShell shell) {
    this.shell = shell;
  }

  int sbatchCalls() {
    return sbatchCalls.get();
  }

  /** Submits a batch script; returns the job id. */
  String sbatch(List<String> options, String script) throws IOException {
    sbatchCalls.incrementAndGet();
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
    cmd.addAll(options);
    cmd.add(script);
    String out = shell.run(cmd).strip();
    int semi = out.indexOf(';'); // "id;cluster" on a federated setup
    return semi < 0 ? out : out.substring(0, semi);
  }

  /** "jobid_task STATE" lines of the given array jobs, finished ones included while kept. */
  List<String> states(List<String> jobIds) throws IOException {
    if (jobIds.isEmpty()) {
      return List.of();
    }
    List<String> cmd =
        new ArrayList<>(List.of("squeue", "-h", "-r", "-t", "all", "-o", "%i %T", "-j"));
    cmd.add(String.join(",", jobIds));
    String out;
    try {
      out = shell.run(cmd);
    } catch (IOException e) {
      // squeue fails on a list with only ids the controller has already purged.
      if (String.valueOf(e.getMessage()).contains("Invalid job id")) {
        return List.of();
      }
      throw e;
    }
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  void scancel(String jobId) throws IOException {
    scancel(List.of(jobId));
  }

  void scancel(List<String> jobIds) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("scancel"));
    cmd.addAll(jobIds);
    shell.run(cmd);
  }
}
