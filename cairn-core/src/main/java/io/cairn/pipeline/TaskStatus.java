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
 * @param blocked candidate jobs waiting for something upstream (a required link, an inhibitor,
 *     an explicit dependency)
 * @param links keys per link name
 */
public record TaskStatus(
    String task, String collection, Stats jobs, long ready, long blocked, Map<String, Long> links) {
  public TaskStatus {
    links = Map.copyOf(links);
  }
}
