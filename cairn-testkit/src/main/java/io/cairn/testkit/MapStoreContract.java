package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.Page;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapResult;
import io.cairn.spi.MapStore;
import io.cairn.spi.MapWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MapStore} must have. A backend's test extends this and says how to
 * make a store.
 *
 * @param <S> the store type under test
 */
public abstract class MapStoreContract<S extends MapStore> extends StoreContractBase<S> {
  protected static final String M = "dict";
  private static final String OLD_MAP = "old-map";

  /** A change computing the new value from the old one (empty = absent). */
  protected record Compute(String map, String key, UnaryOperator<Optional<String>> fn)
      implements MapChange {
    @Override
    public Optional<String> decide(Optional<String> current) {
      return fn.apply(current);
    }
  }

  protected static MapChange put(String key, String json) {
    return new Compute(M, key, cur -> Optional.of(json));
  }

  protected static MapChange remove(String key) {
    return new Compute(M, key, cur -> Optional.empty());
  }

  protected List<MapEntry> entries(String map) {
    List<MapEntry> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<MapEntry> page = store.mapEntries(map, cursor, 3);
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  protected List<String> keysOf(String map) {
    return entries(map).stream().map(MapEntry::key).toList();
  }

  @Test
  public void mapEntriesKeepInsertionOrderAndUpdatesKeepTheirPosition() {
    store.applyMap(List.of(put("b", "1"), put("a", "2"), put("c", "3")));
    store.applyMap(List.of(put("a", "20")));
    assertThat(entries(M))
        .containsExactly(new MapEntry("b", "1"), new MapEntry("a", "20"), new MapEntry("c", "3"));
    assertThat(store.mapSize(M)).isEqualTo(3);
  }

  @Test
  public void aRemovedAndReaddedKeyGoesToTheEnd() {
    store.applyMap(List.of(put("a", "1"), put("b", "2"), put("c", "3")));
    store.applyMap(List.of(remove("a")));
    store.applyMap(List.of(put("a", "4")));
    assertThat(keysOf(M)).containsExactly("b", "c", "a");
    // within one batch too, blind or not
    store.writeMap(M, List.of(MapWrite.remove("b"), MapWrite.put("b", "5")));
    assertThat(keysOf(M)).containsExactly("c", "a", "b");
    store.applyMap(List.of(remove("c"), put("c", "6")));
    assertThat(keysOf(M)).containsExactly("a", "b", "c");
    assertThat(store.mapSize(M)).isEqualTo(3);
  }

  @Test
  public void resultsCarryThePreviousAndCurrentValue() {
    List<MapResult> rs =
        store.applyMap(
            List.of(
                put("k", "1"),
                new Compute(
                    M,
                    "k",
                    cur -> Optional.of(Integer.toString(Integer.parseInt(cur.orElseThrow()) + 1))),
                remove("k"),
                remove("k")));
    assertThat(rs)
        .containsExactly(
            new MapResult(null, "1"),
            new MapResult("1", "2"),
            new MapResult("2", null),
            new MapResult(null, null));
    assertThat(store.mapGet(M, "k")).isEmpty();
    assertThat(store.mapSize(M)).isZero();
  }

  @Test
  public void blindWritesMaintainTheSize() {
    List<MapWrite> writes = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      writes.add(MapWrite.put("k" + i, Integer.toString(i)));
    }
    store.writeMap(M, writes);
    assertThat(store.mapSize(M)).isEqualTo(1_000);
    store.writeMap(
        M,
        List.of(
            MapWrite.put("k5", "55"),
            MapWrite.put("new", "0"),
            MapWrite.remove("k7"),
            MapWrite.remove("absent")));
    assertThat(store.mapSize(M)).isEqualTo(1_000);
    assertThat(store.mapGet(M, "k5")).contains("55");
    assertThat(store.mapGet(M, "k7")).isEmpty();
    assertThat(keysOf(M).get(5)).isEqualTo("k5");
    assertThat(keysOf(M).get(keysOf(M).size() - 1)).isEqualTo("new");
  }

  @Test
  public void mapBatchIsAllOrNothingWhenAChangeThrows() {
    store.applyMap(List.of(put("a", "1")));
    assertThatThrownBy(
            () ->
                store.applyMap(
                    List.of(
                        put("a", "2"),
                        new Compute(
                            M,
                            "b",
                            cur -> {
                              throw new IllegalStateException("broken map change");
                            }))))
        .hasMessageContaining("broken map change");
    assertThat(store.mapGet(M, "a")).contains("1");
    assertThat(store.mapSize(M)).isEqualTo(1);
  }

  @Test
  public void mapsAreSeparateAndListed() {
    store.applyMap(List.of(put("x", "1")));
    store.applyMap(List.of(new Compute("other", "x", cur -> Optional.of("2"))));
    assertThat(store.mapGet(M, "x")).contains("1");
    assertThat(store.mapGet("other", "x")).contains("2");
    assertThat(store.maps()).containsExactly(M, "other");
    assertThat(store.mapGetAll(M, List.of("x", "y"))).isEqualTo(Map.of("x", "1"));
  }

  @Test
  public void clearEmptiesOneMap() {
    store.applyMap(List.of(put("a", "1"), put("b", "2")));
    store.applyMap(List.of(new Compute("other", "x", cur -> Optional.of("2"))));
    assertThat(store.mapClear(M)).isEqualTo(2);
    assertThat(store.mapSize(M)).isZero();
    assertThat(entries(M)).isEmpty();
    assertThat(store.mapSize("other")).isEqualTo(1);
    assertThat(store.mapClear("never")).isZero();
  }

  @Test
  public void unknownMapIsEmpty() {
    assertThat(store.mapGet("never", "k")).isEmpty();
    assertThat(store.mapSize("never")).isZero();
    assertThat(entries("never")).isEmpty();
  }

  @Test
  public void everyTestStartsOnAnEmptyMapStore() {
    assertThat(store.maps()).isEmpty();
    assertThat(store.mapSize(M)).isZero();
  }

  @Test
  public void aDatabaseAtAnOlderSchemaIsUpgradedKeepingItsEntriesAndOrder() throws Exception {
    Path dir = Files.createDirectories(tempDir.resolve("older-schema"));
    S upgraded = openOlderSchema(dir);
    assumeTrue(upgraded != null, "this backend has no older schema");
    try {
      assertThat(upgraded.mapSize(OLD_MAP)).isEqualTo(3);
      assertThat(oldEntries(upgraded)).containsExactly("a=1", "b=2", "c=3");
      // New entries take sequence numbers after the old ones.
      upgraded.writeMap(
          OLD_MAP, List.of(MapWrite.put("d", "4"), MapWrite.remove("a"), MapWrite.put("a", "5")));
      assertThat(oldEntries(upgraded)).containsExactly("b=2", "c=3", "d=4", "a=5");
      assertThat(upgraded.mapSize(OLD_MAP)).isEqualTo(4);
    } finally {
      upgraded.close();
    }
  }

  private static List<String> oldEntries(MapStore s) {
    Page<MapEntry> page = s.mapEntries(OLD_MAP, null, 100);
    assertThat(page.nextCursor()).isNull();
    return page.items().stream().map(e -> e.key() + "=" + e.json()).toList();
  }
}
