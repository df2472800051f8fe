package io.cairn.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableMapTest {
  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  Cairn cairn;
  Cairn other; // a second Cairn on the home: sees only what is in the store

  @BeforeEach
  void open() {
    cairn = builder().open();
    other = builder().open();
  }

  @AfterEach
  void close() {
    cairn.close();
    other.close();
  }

  /** What is stored, as another process would see it. */
  Object stored(String map, String key) {
    return other.map(map, Object.class, MapOptions.defaults().syncAt(1)).get(key);
  }

  @Test
  void valuesAndInsertionOrderSurviveReopening() {
    DurableMap<Object> m = cairn.map("pod");
    m.put("foo", "bar");
    m.put("b", Map.of("n", 1, "list", List.of(1, 2)));
    m.put("a", 3.5);
    m.put("nothing", null);
    cairn.close();
    cairn = builder().open();
    DurableMap<Object> again = cairn.map("pod");
    assertThat(again.get("foo")).isEqualTo("bar");
    assertThat(again.get("b")).isEqualTo(Map.of("n", 1, "list", List.of(1, 2)));
    assertThat(again.keySet()).containsExactly("foo", "b", "a", "nothing");
    assertThat(again.containsKey("nothing")).isTrue();
    assertThat(again.get("nothing")).isNull();
    assertThat(again).hasSize(4);
  }

  @Test
  void updatingKeepsThePositionAndReaddingGoesToTheEnd() {
    DurableMap<Object> m = cairn.map("order");
    for (String k : List.of("a", "b", "c", "d")) {
      m.put(k, k);
    }
    m.sync();
    m.put("b", "B");
    m.remove("c");
    m.put("c", "C");
    assertThat(m.keySet()).containsExactly("a", "b", "d", "c");
    m.sync();
    assertThat(m.keySet()).containsExactly("a", "b", "d", "c");
    assertThat(m.values()).containsExactly("a", "B", "d", "C");
  }

  @Test
  void aValueThatCannotBeStoredIsRefusedAndNothingChanges() {
    DurableMap<Object> m = cairn.map("strict");
    m.put("k", "good");
    assertThatThrownBy(() -> m.put("k", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map 'strict'")
        .hasMessageContaining("cannot be stored as JSON");
    assertThat(m.get("k")).isEqualTo("good");
    assertThat(m.dirty()).containsExactly("k");
  }

  record Point(int x, int y) {}

  @Test
  void typedMapsConvertRecords() {
    DurableMap<Point> points = cairn.map("points", Point.class);
    points.put("p", new Point(1, 2));
    points.sync();
    assertThat(cairn.map("points", Point.class).get("p")).isEqualTo(new Point(1, 2));
    assertThat(stored("points", "p")).isEqualTo(Map.of("x", 1, "y", 2));
  }

  @Test
  void writeBehindSyncsWhenSyncAtWritesArePending() {
    DurableMap<Object> m =
        cairn.map(
            "batch", Object.class, MapOptions.defaults().syncAt(10).syncEvery(Duration.ofHours(1)));
    for (int i = 0; i < 9; i++) {
      m.set("k" + i, i);
    }
    assertThat(stored("batch", "k0")).isNull();
    m.set("k9", 9);
    await(() -> stored("batch", "k0") != null);
    assertThat(stored("batch", "k9")).isEqualTo(9);
  }

  @Test
  void writeBehindSyncsAfterTheTimeBound() {
    DurableMap<Object> m =
        cairn.map("timed", Object.class, MapOptions.defaults().syncEvery(Duration.ofMillis(50)));
    m.set("k", "v");
    await(() -> m.dirty().isEmpty()); // dirty until the flush's commit returned
    assertThat(stored("timed", "k")).isEqualTo("v");
  }

  @Test
  void syncControlsWorkLikeTastypys() {
    DurableMap<Object> m =
        cairn.map(
            "control",
            Object.class,
            MapOptions.defaults().syncAt(2).syncEvery(Duration.ofHours(1)));
    m.hold();
    m.set("a", 1);
    m.set("b", 2);
    m.set("c", 3);
    assertThat(m.dirty()).containsExactly("a", "b", "c");
    m.syncKey("b");
    assertThat(stored("control", "b")).isEqualTo(2);
    assertThat(m.dirty()).containsExactly("a", "c");
    m.revert();
    assertThat(m.dirty()).isEmpty();
    assertThat(m.get("a")).isNull();
    assertThat(m.get("b")).isEqualTo(2);
    m.markDirty("b");
    assertThat(m.dirty()).containsExactly("b");
    m.unhold();
    m.sync();
    assertThat(m.dirty()).isEmpty();
    assertThatThrownBy(m::unhold).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void durableWritesAreStoredWhenTheyReturn() {
    DurableMap<Object> m = cairn.map("now", Object.class, MapOptions.defaults().durable(true));
    assertThat(m.put("k", 1)).isNull();
    assertThat(stored("now", "k")).isEqualTo(1);
    assertThat(m.put("k", 2)).isEqualTo(1);
    assertThat(m.remove("k")).isEqualTo(2);
    assertThat(stored("now", "k")).isNull();
    assertThat(m.dirty()).isEmpty();
  }

  @Test
  void twoHandlesOnOneNameSeeEachOthersWritesAtOnce() {
    DurableMap<Object> a = cairn.map("shared");
    DurableMap<Object> b = cairn.map("shared");
    a.put("k", "from a");
    assertThat(b.get("k")).isEqualTo("from a");
    b.remove("k");
    assertThat(a.containsKey("k")).isFalse();
    assertThatThrownBy(() -> cairn.map("shared", Object.class, MapOptions.defaults().syncAt(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already open");
  }

  @Test
  void mergeIsAtomicAcrossThreads() throws Exception {
    DurableMap<Integer> m = cairn.map("counter", Integer.class);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    m.merge("n", 1, Integer::sum);
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(m.get("n")).isEqualTo(2_000);
    assertThat(stored("counter", "n")).isEqualTo(2_000);
  }

  @Test
  void readModifyWriteMethodsFollowTheMapContract() {
    DurableMap<Object> m = cairn.map("rmw");
    m.set("pending", 1); // not synced: the atomic methods see it
    assertThat(m.compute("pending", (k, v) -> (Integer) v + 1)).isEqualTo(2);
    assertThat(m.computeIfAbsent("x", k -> "made")).isEqualTo("made");
    assertThat(m.computeIfAbsent("x", k -> "again")).isEqualTo("made");
    assertThat(m.putIfAbsent("x", "other")).isEqualTo("made");
    assertThat(m.putIfAbsent("y", "new")).isNull();
    assertThat(m.replace("y", "newer")).isEqualTo("new");
    assertThat(m.replace("y", "wrong", "z")).isFalse();
    assertThat(m.replace("y", "newer", "z")).isTrue();
    assertThat(m.remove("y", "nope")).isFalse();
    assertThat(m.remove("y", "z")).isTrue();
    assertThat(m.computeIfPresent("y", (k, v) -> "never")).isNull();
    assertThat(m.compute("x", (k, v) -> null)).isNull();
    assertThat(m.containsKey("x")).isFalse();
    assertThat(stored("rmw", "pending")).isEqualTo(2);
  }

  @Test
  void sizeAndIterationIncludePendingWrites() {
    DurableMap<Object> m =
        cairn.map("mixed", Object.class, MapOptions.defaults().syncEvery(Duration.ofHours(1)));
    for (int i = 0; i < 5; i++) {
      m.set("s" + i, i);
    }
    m.sync();
    m.set("s1", "changed");
    m.remove("s3");
    m.set("p", "pending");
    assertThat(m).hasSize(5);
    assertThat(m.keySet()).containsExactly("s0", "s1", "s2", "s4", "p");
    assertThat(m.get("s1")).isEqualTo("changed");
    Iterator<String> it = m.keySet().iterator();
    it.next();
    it.remove();
    assertThat(m.keySet()).containsExactly("s1", "s2", "s4", "p");
    m.clear();
    assertThat(m).isEmpty();
  }

  @Test
  void badKeysAndNamesAreRefusedClearly() {
    DurableMap<Object> m = cairn.map("keys");
    assertThatThrownBy(() -> m.put("", 1)).hasMessage("key must not be empty");
    assertThatThrownBy(() -> m.put("a\0b", 1)).hasMessageContaining("NUL");
    assertThatThrownBy(() -> cairn.map("no/slash"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid map name");
    assertThat(m.get(42)).isNull();
  }

  @Test
  void closeSyncsAndMapsAreListed() {
    cairn.map("one").set("k", 1);
    cairn.map("two").set("k", 2);
    cairn.close();
    cairn = builder().open();
    assertThat(cairn.maps()).containsExactly("one", "two");
    assertThat(cairn.map("two").get("k")).isEqualTo(2);
  }

  static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.onSpinWait();
    }
  }
}
