package io.cairn;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of resources per status. Stores maintain these counts as they write, so reading them costs
 * the same at ten resources as at ten million.
 *
 * @param counts the number of stored resources per status (UNAVAILABLE is always 0: a resource
 *     nobody asked for has no record)
 * @param attempted the number of stored resources attempted at least once (attempts &gt; 0)
 */
public record Stats(Map<Status, Long> counts, long attempted) {
  /** Counts without the attempted figure (0). */
  public Stats(Map<Status, Long> counts) {
    this(counts, 0);
  }

  public Stats {
    EnumMap<Status, Long> copy = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      copy.put(s, 0L);
    }
    counts.forEach((s, n) -> copy.put(s, n == null ? 0L : n));
    counts = Collections.unmodifiableMap(copy);
  }

  /** No resources at all. */
  public static Stats empty() {
    return new Stats(Map.of());
  }

  /** The count for one status. */
  public long count(Status status) {
    return counts.get(status);
  }

  /** The number of stored resources. */
  public long total() {
    long t = 0;
    for (long n : counts.values()) {
      t += n;
    }
    return t;
  }

  /** The sum of two stats, status by status. */
  public Stats plus(Stats other) {
    EnumMap<Status, Long> sum = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      sum.put(s, count(s) + other.count(s));
    }
    return new Stats(sum, attempted + other.attempted);
  }
}
