package io.cairn.catalog;

import java.util.Objects;

/**
 * Where an object is registered: a partition of a dataset, written by one of its jobs.
 *
 * @param dataset the dataset id
 * @param job the job number (0, 1, 2, ...)
 * @param partition the partition key
 */
public record Placement(String dataset, long job, String partition) {
  public Placement {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(partition, "partition");
    if (job < 0) {
      throw new IllegalArgumentException("job must be >= 0, was " + job);
    }
  }
}
