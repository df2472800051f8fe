package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.CairnException;
import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import io.cairn.durable.ProgressTracker;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Cairn whose close fails part way still releases its threads, connections and hook. */
class CloseFailureTest {
  @TempDir Path home;

  /** The real SQLite store, whose writes fail once armed (as a full disk would make them). */
  static final class FailingWhenArmed implements StateStore {
    final StateStore inner;
    volatile boolean armed;

    FailingWhenArmed(StateStore inner) {
      this.inner = inner;
    }

    private void check() {
      if (armed) {
        throw new CairnException("injected write failure: disk full");
      }
    }

    @Override
    public List<ChangeResult> apply(List<? extends StateChange> changes) {
      check();
      return inner.apply(changes);
    }

    @Override
    public Optional<StoredResource> get(String collection, String key) {
      return inner.get(collection, key);
    }

    @Override
    public void registerCollection(String collection, String version) {
      check();
      inner.registerCollection(collection, version);
    }

    @Override
    public Optional<String> collectionVersion(String collection) {
      return inner.collectionVersion(collection);
    }

    @Override
    public List<String> collections() {
      return inner.collections();
    }

    @Override
    public Stats stats(String collection) {
      return inner.stats(collection);
    }

    @Override
    public Page<String> keys(String collection, Set<Status> statuses, String cursor, int limit) {
      return inner.keys(collection, statuses, cursor, limit);
    }

    @Override
    public long moveAll(String collection, Status from, Status to, long now) {
      check();
      return inner.moveAll(collection, from, to, now);
    }

    @Override
    public List<StoredResource> claimNext(
        java.util.Set<String> collections, String owner, int n, long leaseUntil) {
      check();
      return inner.claimNext(collections, owner, n, leaseUntil);
    }

    @Override
    public io.cairn.spi.ChangePage changesSince(long cursor, int limit) {
      return inner.changesSince(cursor, limit);
    }

    @Override
    public long changeCursor() {
      return inner.changeCursor();
    }

    @Override
    public long now() {
      return inner.now();
    }

    @Override
    public List<MapResult> applyMap(List<? extends MapChange> changes) {
      check();
      return inner.applyMap(changes);
    }

    @Override
    public void writeMap(String map, List<MapWrite> writes) {
      check();
      inner.writeMap(map, writes);
    }

    @Override
    public Optional<String> mapGet(String map, String key) {
      return inner.mapGet(map, key);
    }

    @Override
    public Map<String, String> mapGetAll(String map, Collection<String> keys) {
      return inner.mapGetAll(map, keys);
    }

    @Override
    public Page<MapEntry> mapEntries(String map, String cursor, int limit) {
      return inner.mapEntries(map, cursor, limit);
    }

    @Override
    public long mapSize(String map) {
      return inner.mapSize(map);
    }

    @Override
    public long mapClear(String map) {
      check();
      return inner.mapClear(map);
    }

    @Override
    public List<String> maps() {
      return inner.maps();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private static Set<Thread> cairnThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("cairn-") && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(owner);
  }

  /** The JVM shutdown hook of a Cairn's write-behind syncer, or null if none is registered. */
  private static Thread shutdownHook(Cairn cairn) throws ReflectiveOperationException {
    return (Thread) field(field(field(cairn, "durables"), "syncer"), "hook");
  }

  @Test
  void aCloseThatFailsToFlushStillStopsEveryThreadClosesTheStoreAndRemovesTheHook()
      throws Exception {
    Set<Thread> before = cairnThreads();
    StateStore sqlite = StateStores.sqlite(home.resolve("cairn.db"));
    FailingWhenArmed store = new FailingWhenArmed(sqlite);
    Cairn cairn = Cairn.builder().home(home).stateStore(store).open();

    // Start the threads a Cairn has: lease keeper, write-behind syncer (the commit threads start
    // only for asynchronous submissions: a waiting caller commits on its own thread).
    cairn.collection("c", (ident, args, ctx) -> Map.of("ident", ident));
    assertThat(cairn.fetch("c", "a").status()).isEqualTo(Status.COMPLETED);
    DurableMap<Integer> durable =
        cairn.map("durable", Integer.class, MapOptions.defaults().durable(true));
    durable.put("k", 1);
    DurableMap<Integer> behind =
        cairn.map("behind", Integer.class, MapOptions.defaults().syncAt(1_000_000));
    behind.set("pending", 1); // written only at close
    ProgressTracker tracker = cairn.tracker("t");
    tracker.add("x");
    Thread hook = shutdownHook(cairn);
    assertThat(hook).isNotNull();
    Set<Thread> started = cairnThreads();
    started.removeAll(before);
    assertThat(started.stream().map(Thread::getName))
        .contains("cairn-lease-keeper", "cairn-durable-sync");

    store.armed = true;
    assertThatThrownBy(cairn::close)
        .isInstanceOf(CairnException.class)
        .hasMessageContaining("injected write failure");

    Await.until(
        "the closed Cairn's threads to end",
        Duration.ofSeconds(10),
        () -> started.stream().noneMatch(Thread::isAlive));
    assertThat(Runtime.getRuntime().removeShutdownHook(hook))
        .as("shutdown hook still registered after close")
        .isFalse();
    assertThatThrownBy(() -> sqlite.get("c", "a")).hasMessageContaining("closed");
    cairn.close(); // idempotent: a second close neither throws nor waits

    // The SQLite file is free: a new Cairn opens it and writes.
    try (Cairn again = Cairn.open(home)) {
      again.collection("c", (ident, args, ctx) -> Map.of("ident", ident));
      assertThat(again.fetch("c", "a").status()).isEqualTo(Status.COMPLETED);
      assertThat(again.fetch("c", "b").status()).isEqualTo(Status.COMPLETED);
      assertThat(again.map("durable", Integer.class, MapOptions.defaults().durable(true)).get("k"))
          .isEqualTo(1);
      DurableMap<Integer> m = again.map("behind", Integer.class);
      m.put("after", 2);
      m.sync();
      assertThat(m.get("after")).isEqualTo(2);
    }
  }
}
