package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.ChangePage;
import io.cairn.spi.StoredResource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, on one thread: the counts of every collection (O(collections): the store keeps
 * them), throughput over the last minute, and what the change cursor says changed since the last
 * tick (at most {@link #MAX_CHANGES} read; past that the cursor jumps to now and only the counts
 * tell). Live views and metrics read its latest tick, so 50,000 changes a second cost one read of
 * counts per second, not one event per resource.
 */
final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);
  static final int MAX_CHANGES = 20_000;
  private static final int WINDOW = 60;

  /** One tick: counts per collection, changed resources per collection, the changed records. */
  record Tick(
      long timeMs,
      Map<String, Stats> stats,
      Map<String, Long> changed,
      Map<String, StoredResource> latest,
      boolean skipped) {}

  private final Cairn cairn;
  private final ScheduledExecutorService timer;
  private final Deque<long[]> doneHistory = new ArrayDeque<>();
  private final Deque<Map<String, Long>> doneByCollection = new ArrayDeque<>();
  private volatile Tick last;
  private volatile Map<String, Double> throughput = Map.of();
  private volatile Consumer<Tick> listener = t -> {};
  private long cursor;
  private final TakeOvers takeOvers = new TakeOvers();

  Sampler(Cairn cairn) {
    this.cairn = cairn;
    this.cursor = cairn.changeCursor();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cairn-server-sampler");
              t.setDaemon(true);
              return t;
            });
    tick();
    timer.scheduleWithFixedDelay(this::safeTick, 1, 1, TimeUnit.SECONDS);
  }

  void listener(Consumer<Tick> l) {
    this.listener = l;
  }

  Tick last() {
    return last;
  }

  /** Lease take-overs seen in the store's changes since the server started. */
  long takeOvers() {
    return takeOvers.count();
  }

  /**
   * The current record of a resource ({@code collection + '\0' + ident}), or null if it was never
   * asked for or its collection is unknown.
   */
  Resource current(String id) {
    int sep = id.indexOf('\u0000');
    try {
      Resource r = cairn.resource(id.substring(0, sep), id.substring(sep + 1));
      return r.status() == Status.UNAVAILABLE ? null : r;
    } catch (RuntimeException e) {
      return null;
    }
  }

  double throughput(String collection) {
    return throughput.getOrDefault(collection, 0.0);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("sampling the store failed; trying again in a second", e);
    }
  }

  private synchronized void tick() {
    long now = System.currentTimeMillis();
    Map<String, Stats> stats = cairn.stats();
    Map<String, Long> changed = new HashMap<>();
    Map<String, StoredResource> latest = new LinkedHashMap<>();
    boolean skipped = false;
    int read = 0;
    while (true) {
      ChangePage page = cairn.changesSince(cursor, 5_000);
      for (StoredResource r : page.resources()) {
        changed.merge(r.collection(), 1L, Long::sum);
        String id = r.collection() + "\u0000" + r.key();
        latest.put(id, r);
        takeOvers.see(id, r);
      }
      read += page.resources().size();
      cursor = page.cursor();
      if (page.resources().size() < 5_000) {
        break;
      }
      if (read >= MAX_CHANGES) {
        cursor = cairn.changeCursor();
        skipped = true;
        latest.clear();
        takeOvers.forget();
        break;
      }
    }
    Map<String, Long> done = new HashMap<>();
    stats.forEach(
        (c, s) ->
            done.put(
                c, s.count(Status.COMPLETED) + s.count(Status.ERROR) + s.count(Status.ABORTED)));
    doneHistory.addLast(new long[] {now});
    doneByCollection.addLast(done);
    if (doneHistory.size() > WINDOW) {
      doneHistory.removeFirst();
      doneByCollection.removeFirst();
    }
    Map<String, Double> tp = new HashMap<>();
    double secs = Math.max(1, (now - doneHistory.peekFirst()[0]) / 1000.0);
    Map<String, Long> first = doneByCollection.peekFirst();
    done.forEach(
        (c, n) ->
            tp.put(c, Math.max(0, Math.round((n - first.getOrDefault(c, n)) / secs * 10) / 10.0)));
    throughput = tp;
    Tick t = new Tick(now, stats, changed, latest, skipped);
    last = t;
    listener.accept(t);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
