package io.cairn.pipeline;

import java.util.Map;

/**
 * One job of a task: its key and, for parameterized tasks, its parameters (the key is then the
 * parameters' hash, see {@link Params#hash}).
 *
 * @param task the task's name
 * @param key the job key
 * @param params typed parameter values (empty for repository-driven jobs)
 */
public record Job(String task, String key, Map<String, Object> params) {
  public Job {
    JobKeys.check(key);
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
