package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Page;
import io.cairn.catalog.CatalogException;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.cairn.spi.CatalogStore;
import io.cairn.spi.StateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CatalogStore} must have, reached through the state store that keeps it
 * ({@link StateStore#catalogStore}). A backend's test extends this and says how to make a store
 * (and a second instance on the same data, for the races).
 *
 * @param <S> the state store type under test
 */
public abstract class CatalogStoreContract<S extends StateStore> extends StoreContractBase<S> {

  protected CatalogStore catalog() {
    return store.catalogStore();
  }

  protected static String id(int n) {
    return String.format("%064x", n);
  }

  protected static CatalogObject object(int n, String name, String media, int... parents) {
    List<String> ps = new ArrayList<>();
    for (int p : parents) {
      ps.add(id(p));
    }
    return new CatalogObject(id(n), n * 10L, media, name, Map.of("k", "v" + n), 1000 + n, null, ps);
  }

  private Dataset dataset() {
    CatalogStore c = catalog();
    c.register(object(1, "menu", "application/octet-stream"), null, null);
    c.register(object(2, "config", "application/octet-stream"), null, null);
    return c.createDataset("ds", id(1), id(2), 5);
  }

  @Test
  void aRegisteredObjectReadsBackWithItsInfoAndParents() {
    CatalogStore c = catalog();
    c.register(object(1, "a.csv", "text/csv"), null, null);
    CatalogObject stored = c.register(object(2, "b.csv", "text/csv", 1), null, null);
    assertThat(stored.parents()).containsExactly(id(1));
    assertThat(c.object(id(2))).contains(stored);
    assertThat(stored.info()).containsEntry("k", "v2");
    assertThat(stored.size()).isEqualTo(20);
    assertThat(c.children(id(1))).containsExactly(id(2));
    assertThat(c.existing(List.of(id(1), id(3), id(2)))).containsExactly(id(1), id(2));
    assertThat(c.object(id(3))).isEmpty();
  }

  @Test
  void registeringTheSameIdAgainKeepsTheFirstMetadataAndAddsParents() {
    CatalogStore c = catalog();
    c.register(object(1, "p", "x/y"), null, null);
    c.register(object(5, "first", "text/csv"), null, null);
    CatalogObject again =
        c.register(
            new CatalogObject(id(5), 50, "text/plain", "second", Map.of(), 9, null, List.of(id(1))),
            null,
            null);
    assertThat(again.name()).isEqualTo("first");
    assertThat(again.mediaType()).isEqualTo("text/csv");
    assertThat(again.parents()).containsExactly(id(1));
  }

  @Test
  void anUnknownParentIsAnErrorNamingItAndNothingIsRegistered() {
    assertThatThrownBy(() -> catalog().register(object(2, "b", "x/y", 7), null, null))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining(id(7));
    assertThat(catalog().object(id(2))).isEmpty();
  }

  @Test
  void aDatasetNeedsItsMenuAndConfigurationToBeObjects() {
    CatalogStore c = catalog();
    c.register(object(1, "menu", "x/y"), null, null);
    assertThatThrownBy(() -> c.createDataset("d", id(1), id(9), 1))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("configuration " + id(9));
    assertThatThrownBy(() -> c.createDataset("d", id(8), id(1), 1))
        .hasMessageContaining("menu " + id(8));
    assertThat(c.dataset("d")).isEmpty();
  }

  @Test
  void partitionsAreIdempotentAndKeepTheirOrder() {
    Dataset d = dataset();
    CatalogStore c = catalog();
    assertThat(c.addPartition(d.id(), "k2")).isTrue();
    assertThat(c.addPartition(d.id(), "k1")).isTrue();
    assertThat(c.addPartition(d.id(), "k2")).isFalse();
    assertThat(c.addPartition(d.id(), "k3")).isTrue();
    assertThat(c.partitions(d.id())).containsExactly("k2", "k1", "k3");
    assertThatThrownBy(() -> c.addPartition("nope", "k"))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("dataset nope");
  }

  @Test
  void jobsAreNumberedFromZeroAndImportsNumberAfterThem() {
    Dataset d = dataset();
    CatalogStore c = catalog();
    assertThat(c.newJob(d.id(), 1)).isZero();
    assertThat(c.newJob(d.id(), 1)).isEqualTo(1);
    c.importJob(d.id(), 7, 1);
    c.importJob(d.id(), 3, 1);
    assertThat(c.newJob(d.id(), 1)).isEqualTo(8);
    assertThat(c.jobs(d.id())).containsExactly(0L, 1L, 3L, 7L, 8L);
    assertThatThrownBy(() -> c.newJob("nope", 1)).hasMessageContaining("dataset nope");
  }

  @Test
  void twoInstancesAllocatingJobsAtOnceGetEveryNumberOnce() throws Exception {
    Dataset d = dataset();
    S second = secondInstance();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        CatalogStore c = (t % 2 == 0 ? store : second).catalogStore();
        futures.add(
            pool.submit(
                () -> {
                  List<Long> got = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    got.add(c.newJob(d.id(), 1));
                  }
                  return got;
                }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        all.addAll(f.get());
      }
      Collections.sort(all);
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < 200; i++) {
        expected.add(i);
      }
      assertThat(all).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
      if (second != store) {
        second.close();
      }
    }
  }

  @Test
  void aPlacementNeedsItsDatasetJobAndPartitionAndSaysWhichIsMissing() {
    Dataset d = dataset();
    CatalogStore c = catalog();
    c.addPartition(d.id(), "p");
    long job = c.newJob(d.id(), 1);
    c.register(object(3, "x", "x/y"), null, null);
    assertThatThrownBy(() -> c.place(id(3), new Placement("other", job, "p")))
        .hasMessageContaining("dataset other");
    assertThatThrownBy(() -> c.place(id(3), new Placement(d.id(), 9, "p")))
        .hasMessageContaining("job 9");
    assertThatThrownBy(() -> c.place(id(3), new Placement(d.id(), job, "q")))
        .hasMessageContaining("partition q");
    assertThatThrownBy(() -> c.register(object(4, "y", "x/y"), new Placement(d.id(), 9, "p"), null))
        .hasMessageContaining("job 9");
    assertThat(c.object(id(4))).isEmpty();
    assertThat(c.place(id(3), new Placement(d.id(), job, "p"))).isTrue();
    assertThat(c.place(id(3), new Placement(d.id(), job, "p"))).isFalse();
    assertThat(c.placements(id(3))).containsExactly(new Placement(d.id(), job, "p"));
  }

  @Test
  void listingsFilterAndPageByCursor() {
    Dataset d = dataset();
    CatalogStore c = catalog();
    c.addPartition(d.id(), "p");
    c.addPartition(d.id(), "q");
    long j0 = c.newJob(d.id(), 1);
    long j1 = c.newJob(d.id(), 1);
    for (int n = 10; n < 20; n++) {
      Placement p = new Placement(d.id(), n % 2 == 0 ? j0 : j1, n < 15 ? "p" : "q");
      c.register(
          object(n, (n < 13 ? "raw-" : "out-") + n, n % 3 == 0 ? "text/csv" : "x/y"), p, null);
    }
    assertThat(ids(c, ObjectFilter.all())).hasSize(12); // with menu and config
    assertThat(ids(c, ObjectFilter.all().withDataset(d.id()))).hasSize(10);
    assertThat(ids(c, ObjectFilter.all().withDataset(d.id()).withJob(j0)))
        .containsExactly(id(10), id(12), id(14), id(16), id(18));
    assertThat(ids(c, ObjectFilter.all().withDataset(d.id()).withPartition("q").withJob(j1)))
        .containsExactly(id(15), id(17), id(19));
    assertThat(ids(c, ObjectFilter.all().withMediaType("text/csv")))
        .containsExactly(id(12), id(15), id(18));
    assertThat(ids(c, ObjectFilter.all().withNamePrefix("raw-")))
        .containsExactly(id(10), id(11), id(12));
    assertThatThrownBy(() -> c.objects(ObjectFilter.all(), null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> ids(CatalogStore c, ObjectFilter f) {
    List<String> out = new ArrayList<>();
    String cursor = null;
    do {
      Page<CatalogObject> page = c.objects(f, cursor, 2);
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      page.items().forEach(o -> out.add(o.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    return out;
  }

  @Test
  void anAnnouncedPutKeepsGcFromMarkingItsIdUntilItRegisters() {
    CatalogStore c = catalog();
    assertThat(c.announcePut(id(1), "t1", 100)).isTrue();
    assertThat(c.doom(id(1), 50, 200)).as("announced after 50").isFalse();
    c.register(object(1, "a", "x/y"), null, "t1");
    assertThat(c.doom(id(1), 50, 200)).as("registered").isFalse();
    assertThat(c.announcePut(id(2), "t2", 100)).isTrue();
    c.endPut(id(2), "t2");
    assertThat(c.doom(id(2), 50, 200)).isTrue();
    assertThat(c.announcePut(id(2), "t3", 300)).as("marked by a running gc").isFalse();
    c.undoom(id(2));
    assertThat(c.announcePut(id(2), "t3", 300)).isTrue();
  }

  @Test
  void aStaleAnnouncementOrMarkIsOfADeadProcessAndIsDropped() {
    CatalogStore c = catalog();
    assertThat(c.announcePut(id(1), "t1", 100)).isTrue();
    assertThat(c.doom(id(1), 101, 200)).as("announced before 101: a dead put").isTrue();
    long later = 200 + CatalogStore.STALE_DOOM_MS + 1;
    assertThat(c.announcePut(id(1), "t2", later)).as("a gc that died with its mark").isTrue();
  }

  @Test
  void datasetsArePagedByIdAndAnImportOfAnotherMenuIsAConflict() {
    Dataset d = dataset();
    CatalogStore c = catalog();
    c.createDataset("ds2", id(1), id(2), 6);
    assertThatThrownBy(() -> c.createDataset("ds2", id(1), id(2), 6))
        .hasMessageContaining("ds2 exists");
    Page<Dataset> first = c.datasets(null, 1);
    assertThat(first.items()).containsExactly(d);
    assertThat(c.datasets(first.nextCursor(), 1).items())
        .extracting(Dataset::id)
        .containsExactly("ds2");
    assertThat(c.importDataset(d)).isFalse();
    assertThatThrownBy(() -> c.importDataset(new Dataset("ds", id(2), id(1), 5)))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("dataset ds");
    assertThat(c.importDataset(new Dataset("ds3", id(1), id(2), 7))).isTrue();
  }
}
