package io.cairn.pipeline;

import io.cairn.Stats;
import java.util.Map;

/**
 * A task's state, as {@code cairn status} shows it.
 *
 * @param task the task's name
 * @param collection the collection holding its jobs
 * @param jobs its jobs' counts per status (from the engine)
 * @param ready jobs that would start now
 * @param blocked jobs waiting for something upstream: candidates missing a required link,
 *     inhibited, or waiting for an explicit dependency, and keys that failed in a task before this
 *     one (so never reached it) — blocked, not failed
 * @param links keys per link name
 */
public record TaskStatus(
    String task, String collection, Stats jobs, long ready, long blocked, Map<String, Long> links) {
  public TaskStatus {
    links = Map.copyOf(links);
  }
}
