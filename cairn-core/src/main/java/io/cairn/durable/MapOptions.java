package io.cairn.durable;

import java.time.Duration;

/**
 * How a durable map syncs. Immutable; each {@code with} method validates its value.
 *
 * @param syncAt pending writes that trigger a sync (default 1,000); writers wait while {@code
 *     max(65,536, 4 × syncAt)} keys have writes not in the store yet, which is also the most a
 *     SIGKILL can lose
 * @param syncEvery the longest a write stays pending (default 1 s)
 * @param durable every write durable when it returns, group-committed (default false: write-behind)
 */
public record MapOptions(int syncAt, Duration syncEvery, boolean durable) {
  public MapOptions {
    if (syncAt < 1 || syncAt > 10_000_000) {
      throw new IllegalArgumentException("syncAt must be 1 to 10,000,000, got " + syncAt);
    }
    if (syncEvery == null
        || syncEvery.toMillis() < 1
        || syncEvery.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "syncEvery must be between 1 ms and 1 day, got " + syncEvery);
    }
  }

  /** 1,000 pending writes or 1 s, write-behind. */
  public static MapOptions defaults() {
    return new MapOptions(1_000, Duration.ofSeconds(1), false);
  }

  public MapOptions syncAt(int n) {
    return new MapOptions(n, syncEvery, durable);
  }

  public MapOptions syncEvery(Duration d) {
    return new MapOptions(syncAt, d, durable);
  }

  public MapOptions durable(boolean d) {
    return new MapOptions(syncAt, syncEvery, d);
  }
}
