package io.cairn.pipeline;

/**
 * A Java task's body: runs one job. It may throw: the job becomes ERROR with the stack trace, is
 * retried with backoff up to the task's {@code maxTries}, then ABORTED.
 */
@FunctionalInterface
public interface JobFunction {
  /**
   * @return a JSON-compatible result, stored as the job's result (may be null)
   */
  Object run(Job job, JobContext ctx) throws Exception;
}
