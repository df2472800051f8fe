package io.cairn.internal.durable;

import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import io.cairn.durable.ProgressTracker;
import io.cairn.durable.TrackerOptions;
import io.cairn.internal.engine.CloseAll;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The maps and trackers of one Cairn: one {@link MapCore} per map name (shared by its handles) and
 * one {@link DurableSyncer} for their write-behind.
 */
public final class DurableService implements AutoCloseable {
  private final Engine engine;
  private final DurableSyncer syncer = new DurableSyncer();
  private final Map<String, MapCore> maps = new ConcurrentHashMap<>();
  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  public DurableService(Engine engine) {
    this.engine = engine;
  }

  /**
   * A handle on a map. The first handle of a name fixes its options; asking again with other
   * options is refused.
   */
  public <V> DurableMap<V> map(String name, Class<V> type, MapOptions options) {
    String checked = checkName(name, "map");
    if (options == null) {
      throw new IllegalArgumentException("map options must not be null; use MapOptions.defaults()");
    }
    MapCore core =
        maps.computeIfAbsent(
            checked,
            n -> {
              MapCore c = new MapCore(n, engine.store(), engine.mapCommitter(), syncer, options);
              syncer.register(c);
              return c;
            });
    if (!core.options().equals(options)) {
      throw new IllegalArgumentException(
          "map '"
              + checked
              + "' is already open with "
              + core.options()
              + "; asked for "
              + options
              + ": open every handle of one map with the same options");
    }
    return new DurableMapHandle<>(core, type);
  }

  /** A tracker; asking again for the same name returns the same tracker if the options match. */
  public ProgressTracker tracker(String name, TrackerOptions options) {
    String checked = checkName(name, "tracker");
    if (options == null) {
      throw new IllegalArgumentException(
          "tracker options must not be null; use TrackerOptions.defaults()");
    }
    Tracker t =
        trackers.computeIfAbsent(
            checked,
            n -> {
              engine.store().registerCollection(n, "");
              Tracker created = new Tracker(n, engine, syncer, options);
              syncer.register(created);
              return created;
            });
    if (!t.options.equals(options)) {
      throw new IllegalArgumentException(
          "tracker '" + checked + "' is already open with " + t.options + "; asked for " + options);
    }
    return t;
  }

  /** Whether a tracker of that name is open in this Cairn. */
  public boolean hasTracker(String name) {
    return trackers.containsKey(name);
  }

  private static String checkName(String name, String what) {
    try {
      return Names.checkCollection(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage().replace("collection name", what + " name"), e);
    }
  }

  /** Writes everything pending. */
  public void syncAll() {
    syncer.syncAll();
  }

  /**
   * Closes every tracker and flushes every map; each step runs even if another fails, and the
   * syncer's thread and shutdown hook are always released. The first failure is rethrown.
   */
  @Override
  public void close() {
    // Once only: trackers' adds are write-behind, so a second close after a failed flush would
    // try again on a committer the first close stopped.
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> steps = new ArrayList<>();
    for (Tracker t : trackers.values()) {
      steps.add(t::close);
    }
    steps.add(syncer);
    CloseAll.run(steps.toArray(AutoCloseable[]::new));
  }
}
