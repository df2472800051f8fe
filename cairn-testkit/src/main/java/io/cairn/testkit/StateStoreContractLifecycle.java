package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.MapEntry;
import io.cairn.spi.MapWrite;
import io.cairn.spi.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a store's life around the tests needs: every test starts on an empty store ({@link #reset}),
 * and a database written at an older schema ({@link #openOlderSchema}) is upgraded with its rows,
 * counts and insertion orders intact, later writes going after the old rows.
 */
public abstract class StateStoreContractLifecycle extends StateStoreRaceContract {
  private static final String OLD = "old";
  private static final String OLD_MAP = "old-map";

  @Test
  void everyTestStartsOnAnEmptyStore() {
    assertThat(store.collections()).isEmpty();
    assertThat(store.maps()).isEmpty();
    assertThat(store.stats("things").total()).isZero();
  }

  @Test
  void aDatabaseAtAnOlderSchemaIsUpgradedKeepingItsRowsCountsAndOrder() throws Exception {
    Path dir = Files.createDirectories(tempDir.resolve("older-schema"));
    StateStore upgraded = openOlderSchema(dir);
    assumeTrue(upgraded != null, "this backend has no older schema");
    try {
      List<String> done = List.of("done-0", "done-1", "done-2", "done-3", "done-4");
      List<String> queued = List.of("queued-0", "queued-1", "queued-2");
      Stats stats = upgraded.stats(OLD);
      assertThat(stats.count(Status.COMPLETED)).isEqualTo(5);
      assertThat(stats.count(Status.QUEUED)).isEqualTo(3);
      assertThat(stats.attempted()).isEqualTo(5);
      assertThat(upgraded.get(OLD, "done-3").orElseThrow().resultJson()).isEqualTo("42");
      assertThat(upgraded.get(OLD, "queued-1").orElseThrow().status()).isEqualTo(Status.QUEUED);
      assertThat(allKeys(upgraded)).containsExactly(concat(done, queued, List.of()));
      assertThat(upgraded.mapSize(OLD_MAP)).isEqualTo(3);
      assertThat(entries(upgraded)).containsExactly("a=1", "b=2", "c=3");

      // New rows take sequence numbers after the old ones, in both sequences.
      long now = 2_000_000;
      assertThat(
              upgraded
                  .apply(
                      List.of(
                          new Changes.Claim(OLD, "new", "w", now, now + 30_000, "{}", null, false)))
                  .get(0)
                  .applied())
          .isTrue();
      assertThat(allKeys(upgraded)).containsExactly(concat(done, queued, List.of("new")));
      assertThat(upgraded.stats(OLD).count(Status.RUNNING)).isEqualTo(1);
      assertThat(upgraded.stats(OLD).attempted()).isEqualTo(6);
      upgraded.writeMap(
          OLD_MAP, List.of(MapWrite.put("d", "4"), MapWrite.remove("a"), MapWrite.put("a", "5")));
      assertThat(entries(upgraded)).containsExactly("b=2", "c=3", "d=4", "a=5");
      assertThat(upgraded.mapSize(OLD_MAP)).isEqualTo(4);
    } finally {
      upgraded.close();
    }
  }

  private static String[] concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all.toArray(new String[0]);
  }

  private static List<String> allKeys(StateStore s) {
    Page<String> page = s.keys(OLD, EnumSet.allOf(Status.class), null, 100);
    assertThat(page.nextCursor()).isNull();
    return page.items();
  }

  private static List<String> entries(StateStore s) {
    Page<MapEntry> page = s.mapEntries(OLD_MAP, null, 100);
    assertThat(page.nextCursor()).isNull();
    return page.items().stream().map(e -> e.key() + "=" + e.json()).toList();
  }
}
