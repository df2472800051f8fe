package io.cairn.pipeline;

import io.cairn.Status;
import java.util.Map;

/**
 * One job key's path through a pipeline's tasks.
 *
 * @param task the task's name
 * @param status the job's status in that task
 * @param attempts its attempts
 * @param error the first line of its last error, or null
 * @param links whether each of the task's links has the key
 * @param why why it would or would not start now ("ready", "done", "missing input 'x'", ...)
 */
public record JobTrace(
    String task,
    Status status,
    int attempts,
    String error,
    Map<String, Boolean> links,
    String why) {
  public JobTrace {
    links = Map.copyOf(links);
  }
}
