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
 */
public record TaskProgress(
    String task,
    long launched,
    long completed,
    long failed,
    long aborted,
    long running,
    long waiting) {}
