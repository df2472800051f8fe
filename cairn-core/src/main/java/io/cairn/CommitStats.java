package io.cairn;

import java.util.List;

/**
 * How long one open Cairn's group commits of resource changes took since it opened, as a histogram:
 * for monitoring (the server's {@code /metrics}), not for control.
 *
 * @param boundsSeconds the buckets' upper bounds in seconds, ascending
 * @param counts commits per bucket: {@code counts.get(i)} took at most {@code boundsSeconds.get(i)}
 *     and more than the bound before; one more entry than bounds, for slower commits
 * @param totalSeconds the time of all commits together
 */
public record CommitStats(List<Double> boundsSeconds, List<Long> counts, double totalSeconds) {
  public CommitStats {
    boundsSeconds = List.copyOf(boundsSeconds);
    counts = List.copyOf(counts);
    if (counts.size() != boundsSeconds.size() + 1) {
      throw new IllegalArgumentException(
          "counts need one entry per bound plus one, got "
              + counts.size()
              + " for "
              + boundsSeconds.size()
              + " bounds");
    }
  }

  /** How many commits there were. */
  public long commits() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }
}
