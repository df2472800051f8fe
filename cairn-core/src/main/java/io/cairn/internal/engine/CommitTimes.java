package io.cairn.internal.engine;

import io.cairn.CommitStats;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * How long the engine's group commits of resource changes take, as a fixed-bucket histogram. It
 * times whole batches on the commit thread, never a resource: two clock reads, one bucket and one
 * sum increment per batch, and nothing locked.
 */
public final class CommitTimes {
  /** Upper bounds of the buckets in microseconds; a last bucket holds the slower ones. */
  private static final long[] BOUNDS_MICROS = {
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000
  };

  private final LongAdder[] buckets = new LongAdder[BOUNDS_MICROS.length + 1];
  private final LongAdder nanos = new LongAdder();

  CommitTimes() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** {@code apply}, timed. */
  Function<List<StateChange>, List<ChangeResult>> timing(
      Function<List<StateChange>, List<ChangeResult>> apply) {
    return changes -> {
      long start = System.nanoTime();
      try {
        return apply.apply(changes);
      } finally {
        record(System.nanoTime() - start);
      }
    };
  }

  void record(long elapsedNanos) {
    long micros = elapsedNanos / 1_000;
    int i = 0;
    while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
      i++;
    }
    buckets[i].increment();
    nanos.add(elapsedNanos);
  }

  /** What was recorded so far (read without stopping writers: buckets may be a batch apart). */
  public CommitStats snapshot() {
    List<Double> bounds = new ArrayList<>(BOUNDS_MICROS.length);
    for (long b : BOUNDS_MICROS) {
      bounds.add(b / 1e6);
    }
    List<Long> counts = new ArrayList<>(buckets.length);
    for (LongAdder b : buckets) {
      counts.add(b.sum());
    }
    return new CommitStats(bounds, counts, nanos.sum() / 1e9);
  }
}
