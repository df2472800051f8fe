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
 * @param blocked jobs of this task waiting for something upstream, counted as jobs of this task:
 *     candidates missing a required link, inhibited, or waiting for an explicit dependency or for
 *     the job producing their key; and the jobs a failed upstream job holds back (the keys its
 *     failed attempt had written for this task's first input, or one job under its own key when it
 *     wrote none) — blocked, not failed
 * @param links keys per link name
 */
public record TaskStatus(
    String task, String collection, Stats jobs, long ready, long blocked, Map<String, Long> links) {
  public TaskStatus {
    links = Map.copyOf(links);
  }
}
