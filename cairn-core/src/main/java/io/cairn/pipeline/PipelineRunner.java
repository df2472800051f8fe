package io.cairn.pipeline;

import io.cairn.Resource;
import io.cairn.spi.BlobKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline bound to a Cairn: runs it, and answers and acts on its state. Obtained from {@code
 * cairn.pipeline(pipeline)}. Thread-safe; several runners (threads, processes) on one home share
 * the work through the engine's leases.
 */
public interface PipelineRunner {
  Pipeline pipeline();

  /**
   * Runs ready jobs with bounded parallelism until nothing is ready and nothing runs (or forever).
   * Failed jobs are retried with exponential backoff up to the task's maxTries, then ABORTED; jobs
   * downstream of a failure wait (blocked). Jobs added to repositories by running jobs are picked
   * up in the same run. A second run of a finished pipeline launches nothing.
   */
  RunSummary run(RunOptions options);

  /** Every task's counts, ready and blocked jobs, and keys per link. */
  List<TaskStatus> status();

  /** A job key's status in every task. */
  List<JobTrace> trace(String jobKey);

  /**
   * Runs one job now in the calling thread (even if it is COMPLETED), unless it is not ready and
   * {@code force} is false.
   *
   * @param key the job key; for a parameterized task, null and {@code params} instead
   * @throws IllegalStateException if not ready and not forced, naming what it waits for
   */
  Resource launch(String task, String key, Map<String, ?> params, boolean force);

  /**
   * Deletes jobs' outputs (their keys in the task's output links, and their job directory) and
   * their status, so they run again; with {@code downstream}, the same keys in every task after
   * this one too.
   *
   * @return how many jobs were removed
   */
  long remove(String task, Collection<String> keys, boolean downstream);

  /** {@link #remove} of every job of the task. */
  long removeAll(String task, boolean downstream);

  /**
   * Keys of a set expression over {@code task.link} (a link's keys) and {@code task} (the task's
   * COMPLETED jobs): {@code |} union, {@code &} intersection, {@code -} difference, parentheses.
   *
   * @throws IllegalArgumentException on a syntax error or an unknown task or link, saying where
   */
  Set<String> keys(String expression);

  /** A task's link. */
  Repository link(String task, String link);

  /** Where a job's params.json, log and named outputs live in the blob store. */
  BlobKey jobDirectory(String task, String key);
}
