package io.cairn.catalog;

/**
 * Which objects {@link Catalog#list} returns; a null field does not filter. Immutable: the {@code
 * with*} methods return a copy.
 *
 * @param dataset only objects placed in this dataset
 * @param job only objects placed by this job (of {@code dataset})
 * @param partition only objects placed in this partition (of {@code dataset})
 * @param mediaType only objects of this media type
 * @param namePrefix only objects whose name starts with this
 */
public record ObjectFilter(
    String dataset, Long job, String partition, String mediaType, String namePrefix) {
  public ObjectFilter {
    if ((job != null || partition != null) && dataset == null) {
      throw new IllegalArgumentException(
          "a job or partition filter needs a dataset: add the dataset id to the filter");
    }
  }

  /** Every object. */
  public static ObjectFilter all() {
    return new ObjectFilter(null, null, null, null, null);
  }

  public ObjectFilter withDataset(String d) {
    return new ObjectFilter(d, job, partition, mediaType, namePrefix);
  }

  public ObjectFilter withJob(Long j) {
    return new ObjectFilter(dataset, j, partition, mediaType, namePrefix);
  }

  public ObjectFilter withPartition(String p) {
    return new ObjectFilter(dataset, job, p, mediaType, namePrefix);
  }

  public ObjectFilter withMediaType(String m) {
    return new ObjectFilter(dataset, job, partition, m, namePrefix);
  }

  public ObjectFilter withNamePrefix(String n) {
    return new ObjectFilter(dataset, job, partition, mediaType, n);
  }
}
