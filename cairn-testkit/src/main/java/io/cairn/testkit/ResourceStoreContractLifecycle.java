package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StoredResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a store's life around the tests needs: every test starts on an empty store ({@link #reset}),
 * and a database written at an older schema ({@link #openOlderSchema}) is upgraded with its rows,
 * counts and insertion orders intact, old rows visible to the change cursor, later writes going
 * after the old rows.
 */
public abstract class ResourceStoreContractLifecycle<S extends ResourceStore>
    extends ResourceStoreRaceContract<S> {
  private static final String OLD = "old";

  @Test
  void everyTestStartsOnAnEmptyStore() {
    assertThat(store.collections()).isEmpty();
    assertThat(store.stats("things").total()).isZero();
    assertThat(store.changeCursor()).isZero();
  }

  @Test
  void aDatabaseAtAnOlderSchemaIsUpgradedKeepingItsRowsCountsAndOrder() throws Exception {
    Path dir = Files.createDirectories(tempDir.resolve("older-schema"));
    S upgraded = openOlderSchema(dir);
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
      assertThat(upgraded.get(OLD, "queued-1").orElseThrow().workJson()).isNull();
      assertThat(allKeys(upgraded)).containsExactly(concat(done, queued, List.of()));
      // The change cursor sees the old rows, in insertion order.
      assertThat(changedKeys(upgraded, 0)).containsExactly(concat(done, queued, List.of()));
      long before = upgraded.changeCursor();
      assertThat(before).isPositive();
      // Old QUEUED rows carry no work: no worker can claim them.
      long now = upgraded.now();
      assertThat(upgraded.claimNext(Set.of(OLD), "w", 10, now + 30_000)).isEmpty();

      // New rows take sequence numbers after the old ones; new writes are seen after the cursor.
      assertThat(
              upgraded
                  .apply(
                      List.of(
                          new Changes.Claim(OLD, "new", "w", now, now + 30_000, "{}", null, false),
                          new Changes.Enqueue(OLD, "queued-0", "{\"w\":1}", "{}", null, now)))
                  .stream()
                  .allMatch(r -> r.applied()))
          .isTrue();
      assertThat(allKeys(upgraded)).containsExactly(concat(done, queued, List.of("new")));
      assertThat(changedKeys(upgraded, before)).containsExactly("new", "queued-0");
      assertThat(upgraded.stats(OLD).count(Status.RUNNING)).isEqualTo(1);
      assertThat(upgraded.stats(OLD).attempted()).isEqualTo(6);
      List<StoredResource> claimed = upgraded.claimNext(Set.of(OLD), "w", 10, now + 30_000);
      assertThat(claimed).extracting(StoredResource::key).containsExactly("queued-0");
      assertThat(claimed.get(0).workJson()).isEqualTo("{\"w\":1}");
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

  private static List<String> allKeys(ResourceStore s) {
    Page<String> page = s.keys(OLD, EnumSet.allOf(Status.class), null, 100);
    assertThat(page.nextCursor()).isNull();
    return page.items();
  }

  private static List<String> changedKeys(ResourceStore s, long cursor) {
    return s.changesSince(cursor, 100).resources().stream().map(StoredResource::key).toList();
  }
}
