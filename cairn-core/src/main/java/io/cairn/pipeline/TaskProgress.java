package io.cairn.pipeline;

/**
 * A task's counts during a run.
 *
 * @param task the task's name
 * @param launched jobs started in this run
 * @param completed jobs completed in this run
 * @param failed job attempts that failed in this run (each may be retried)
 * @param aborted jobs given up in this run (max tries reached)
 * @param running jobs running now
 * @param waiting jobs waiting for a retry's backoff
 * @param done jobs of the task that are completed, in this run or before it
 * @param total jobs the task has as far as the run knows: the keys of its input seen so far (it
 *     grows as upstream jobs add keys), at least {@code done} plus what is running or waiting
 */
public record TaskProgress(
    String task,
    long launched,
    long completed,
    long failed,
    long aborted,
    long running,
    long waiting,
    long done,
    long total) {

  /** Counts of this run only: done is what completed in it, total what it launched. */
  public TaskProgress(
      String task,
      long launched,
      long completed,
      long failed,
      long aborted,
      long running,
      long waiting) {
    this(task, launched, completed, failed, aborted, running, waiting, completed, launched);
  }
}
