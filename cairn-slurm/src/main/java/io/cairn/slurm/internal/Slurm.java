package io.cairn.slurm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The Slurm commands on PATH: sbatch, squeue and scancel, each run with a bound. */
final class Slurm {
  private static final long LIMIT_S = 60;
  private final AtomicInteger sbatchCalls = new AtomicInteger();

  int sbatchCalls() {
    return sbatchCalls.get();
  }

  /** Submits a batch script; returns the job id. */
  String sbatch(List<String> options, String script) throws IOException {
    sbatchCalls.incrementAndGet();
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
    cmd.addAll(options);
    cmd.add(script);
    String out = run(cmd).strip();
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
      out = run(cmd);
    } catch (IOException e) {
      // squeue fails on a list with only ids the controller has already purged.
      if (e.getMessage().contains("Invalid job id")) {
        return List.of();
      }
      throw e;
    }
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  void scancel(String jobId) throws IOException {
    run(List.of("scancel", jobId));
  }

  private static String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(LIMIT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " did not finish within " + LIMIT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(cmd.get(0) + " interrupted", e);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          cmd.get(0) + " exited with " + p.exitValue() + ": " + text.strip().replace('\n', ' '));
    }
    return text;
  }
}
