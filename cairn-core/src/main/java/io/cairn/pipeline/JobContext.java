package io.cairn.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

/** What a job's body gets besides the job. Valid during the run only. */
public interface JobContext {
  Job job();

  /** The job's parameters (typed; empty for repository-driven jobs). */
  Map<String, Object> params();

  /** This attempt's number, from 1. */
  int attempt();

  /** A logger writing to this job's log only (kept beside its outputs). */
  Logger log();

  /**
   * The repository linked to the task under {@code name}.
   *
   * @throws IllegalArgumentException naming the task's links if there is no such link
   */
  Repository link(String name);

  /** The link, as the kind of repository the body expects (files, metadata, ...). */
  <R extends Repository> R link(String name, Class<R> type);

  /**
   * A working directory for this attempt, empty at start, removed after the job ends (and, after a
   * crash, by the next run).
   */
  Path workDir() throws IOException;

  /**
   * Writes a named output of this job beside its {@code params.json} and {@code log}: the blob
   * {@code <pipeline>/<task>/<job>/<name>}. Like every write of the job to a repository, it is
   * staged and published only when the attempt completes; a failed attempt publishes nothing.
   */
  void writeOutput(String name, byte[] data) throws IOException;
}
