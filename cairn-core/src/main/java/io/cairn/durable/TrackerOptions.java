package io.cairn.durable;

/**
 * How a progress tracker behaves.
 *
 * @param maxTries tries after which a key is skipped (and ABORTED after its last failed try); 0 =
 *     unlimited
 * @param durable make adds and the done marks inside a tryKeys loop durable before they return,
 *     instead of write-behind (adds within 1 s, done marks with the next batch of tries); each add
 *     then costs a commit
 */
public record TrackerOptions(int maxTries, boolean durable) {
  public TrackerOptions {
    if (maxTries < 0) {
      throw new IllegalArgumentException("maxTries must be 0 (unlimited) or more, got " + maxTries);
    }
  }

  /** Unlimited tries, write-behind adds and done marks. */
  public static TrackerOptions defaults() {
    return new TrackerOptions(0, false);
  }

  public TrackerOptions maxTries(int n) {
    return new TrackerOptions(n, durable);
  }

  public TrackerOptions durable(boolean d) {
    return new TrackerOptions(maxTries, d);
  }
}
