package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.ChangeResult.Outcome;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ResourceStore} must have. A backend's test extends this and says how
 * to make a store; everything else is here (the change cursor in {@link
 * ResourceStoreChangesContract}, the durable queue in {@link ResourceStoreQueueContract}, races
 * between two instances in {@link ResourceStoreRaceContract}, reset and schema upgrade in {@link
 * ResourceStoreContractLifecycle}). Durable maps have their own suite, {@link MapStoreContract}.
 *
 * @param <S> the store type under test
 */
public abstract class ResourceStoreContract<S extends ResourceStore>
    extends ResourceStoreContractLifecycle<S> {
  protected static final String C = "things";
  protected static final long LEASE = 30_000;

  protected long now = 1_000_000;

  // ---------------------------------------------------------------- helpers

  protected ChangeResult apply(StateChange change) {
    return store.apply(List.of(change)).get(0);
  }

  protected ChangeResult claim(String key, String owner) {
    return apply(new Changes.Claim(C, key, owner, now, now + LEASE, "{}", null, false));
  }

  /** Completes in the resource's current attempt (tests of owner fencing). */
  protected ChangeResult complete(String key, String owner, String result) {
    return apply(new Changes.Complete(C, key, owner, attempts(key), result, "fp", now, now + 1));
  }

  /** Fails in the resource's current attempt (tests of owner fencing). */
  protected ChangeResult fail(String key, String owner, String error) {
    return apply(new Changes.Fail(C, key, owner, attempts(key), error, now, now + 1, false));
  }

  protected int attempts(String key) {
    return store.get(C, key).map(r -> r.attempts()).orElse(0);
  }

  /** A change that writes whatever record (or deletion) a test wants. */
  protected record Force(String collection, String key, Status to) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (to == Status.UNAVAILABLE) {
        return ChangeResult.write(null);
      }
      return ChangeResult.write(
          new StoredResource(collection, key, to, 0, null, null, null, null, 0, 0, 0, null, 0));
    }
  }

  /** Puts a resource into {@code status} by allowed moves only. */
  protected void reach(String key, Status status) {
    switch (status) {
      case UNAVAILABLE -> {}
      case QUEUED -> assertThat(apply(new Force(C, key, Status.QUEUED)).applied()).isTrue();
      case RUNNING -> assertThat(claim(key, "w").applied()).isTrue();
      case COMPLETED -> {
        reach(key, Status.RUNNING);
        assertThat(complete(key, "w", "1").applied()).isTrue();
      }
      case ERROR -> {
        reach(key, Status.RUNNING);
        assertThat(fail(key, "w", "boom").applied()).isTrue();
      }
      case ABORTED -> {
        reach(key, Status.QUEUED);
        assertThat(apply(new Force(C, key, Status.ABORTED)).applied()).isTrue();
      }
    }
    assertThat(statusOf(key)).isEqualTo(status);
  }

  protected Status statusOf(String key) {
    return store.get(C, key).map(StoredResource::status).orElse(Status.UNAVAILABLE);
  }

  // ---------------------------------------------------------------- claims and leases

  @Test
  public void claimCreatesRunningRecordWithLeaseAndFirstAttempt() {
    ChangeResult r = claim("a", "w1");
    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    StoredResource stored = store.get(C, "a").orElseThrow();
    assertThat(stored.status()).isEqualTo(Status.RUNNING);
    assertThat(stored.owner()).isEqualTo("w1");
    assertThat(stored.leaseUntil()).isEqualTo(now + LEASE);
    assertThat(stored.attempts()).isEqualTo(1);
    assertThat(stored.startedAt()).isEqualTo(now);
  }

  @Test
  public void secondClaimWhileLeaseIsLiveIsBusy() {
    claim("a", "w1");
    ChangeResult r = claim("a", "w2");
    assertThat(r.outcome()).isEqualTo(Outcome.BUSY);
    assertThat(store.get(C, "a").orElseThrow().owner()).isEqualTo("w1");
  }

  @Test
  public void leaseExpiresWhenOwnerStopsRenewingAndReclaimCountsAnAttempt() {
    claim("a", "w1");
    now += LEASE + 1;
    ChangeResult r = claim("a", "w2");
    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    StoredResource stored = store.get(C, "a").orElseThrow();
    assertThat(stored.owner()).isEqualTo("w2");
    assertThat(stored.attempts()).isEqualTo(2);
  }

  @Test
  public void formerOwnerCannotCompleteAfterTakeover() {
    claim("a", "w1");
    now += LEASE + 1;
    claim("a", "w2");
    ChangeResult late = complete("a", "w1", "\"stale\"");
    assertThat(late.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(late.message()).contains("lease lost");
    assertThat(complete("a", "w2", "\"fresh\"").applied()).isTrue();
    assertThat(store.get(C, "a").orElseThrow().resultJson()).isEqualTo("\"fresh\"");
  }

  @Test
  public void renewExtendsOnlyTheOwnersLease() {
    claim("a", "w1");
    assertThat(apply(new Changes.Renew(C, "a", "w1", 1, now + 2 * LEASE)).applied()).isTrue();
    assertThat(store.get(C, "a").orElseThrow().leaseUntil()).isEqualTo(now + 2 * LEASE);
    assertThat(apply(new Changes.Renew(C, "a", "w2", 1, now + 3 * LEASE)).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(store.get(C, "a").orElseThrow().leaseUntil()).isEqualTo(now + 2 * LEASE);
  }

  @Test
  public void completedResourceWithSameFingerprintIsNotClaimedAgain() {
    claim("a", "w1");
    complete("a", "w1", "1");
    ChangeResult again =
        apply(new Changes.Claim(C, "a", "w2", now, now + LEASE, "{}", "fp", false));
    assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
    ChangeResult stale =
        apply(new Changes.Claim(C, "a", "w2", now, now + LEASE, "{}", "other", false));
    assertThat(stale.outcome()).isEqualTo(Outcome.APPLIED);
  }

  @Test
  public void failureKeepsThePreviousResultReadable() {
    claim("a", "w1");
    complete("a", "w1", "{\"v\":1}");
    claim("a", "w1");
    fail("a", "w1", "java.lang.RuntimeException: boom");
    StoredResource stored = store.get(C, "a").orElseThrow();
    assertThat(stored.status()).isEqualTo(Status.ERROR);
    assertThat(stored.resultJson()).isEqualTo("{\"v\":1}");
    assertThat(stored.error()).contains("boom");
  }

  @Test
  public void abortedResourceIsClaimedOnlyWhenAskedExplicitly() {
    reach("a", Status.ABORTED);
    assertThat(claim("a", "w1").outcome()).isEqualTo(Outcome.REFUSED);
    ChangeResult forced =
        apply(new Changes.Claim(C, "a", "w1", now, now + LEASE, "{}", null, true));
    // ABORTED may only move to QUEUED: the table refuses a direct claim even when forced.
    assertThat(forced.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(statusOf("a")).isEqualTo(Status.ABORTED);
  }

  // ---------------------------------------------------------------- the transition table

  @Test
  public void everyMoveTheTableForbidsIsRefusedAndChangesNothing() {
    int n = 0;
    for (Status from : Status.values()) {
      for (Status to : Status.values()) {
        if (from.canMoveTo(to) || (from == Status.UNAVAILABLE && to == Status.UNAVAILABLE)) {
          continue;
        }
        String key = "k" + n++;
        reach(key, from);
        StoredResource before = store.get(C, key).orElse(null);
        Stats statsBefore = store.stats(C);
        ChangeResult r = apply(new Force(C, key, to));
        assertThat(r.outcome()).as(from + " -> " + to).isEqualTo(Outcome.REFUSED);
        assertThat(r.message()).contains("illegal move");
        assertThat(store.get(C, key).orElse(null)).isEqualTo(before);
        assertThat(store.stats(C)).isEqualTo(statsBefore);
      }
    }
    assertThat(n).isGreaterThan(5);
  }

  @Test
  public void everyMoveTheTableAllowsIsApplied() {
    int n = 0;
    for (Status from : Status.values()) {
      for (Status to : from.allowedNext()) {
        String key = "ok" + n++;
        reach(key, from);
        ChangeResult r = apply(new Force(C, key, to));
        assertThat(r.outcome()).as(from + " -> " + to).isEqualTo(Outcome.APPLIED);
        assertThat(statusOf(key)).isEqualTo(to);
      }
    }
    assertThat(n).isGreaterThan(10);
  }

  // ---------------------------------------------------------------- batches

  @Test
  public void changesInOneBatchSeeEarlierChangesOfTheBatch() {
    List<ChangeResult> rs =
        store.apply(
            List.of(
                new Changes.Claim(C, "a", "w1", now, now + LEASE, "{}", null, false),
                new Changes.Complete(C, "a", "w1", 1, "7", "fp", now, now),
                new Changes.Claim(C, "a", "w2", now, now + LEASE, "{}", "fp", false)));
    assertThat(rs)
        .extracting(ChangeResult::outcome)
        .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.UNCHANGED);
    assertThat(store.stats(C).count(Status.COMPLETED)).isEqualTo(1);
  }

  @Test
  public void batchIsAllOrNothingWhenAChangeThrows() {
    StateChange broken =
        new StateChange() {
          @Override
          public String collection() {
            return C;
          }

          @Override
          public String key() {
            return "b";
          }

          @Override
          public ChangeResult decide(StoredResource current) {
            throw new IllegalStateException("broken change");
          }
        };
    assertThatThrownBy(
            () ->
                store.apply(
                    List.of(
                        new Changes.Claim(C, "a", "w1", now, now + LEASE, "{}", null, false),
                        broken)))
        .hasMessageContaining("broken change");
    assertThat(store.get(C, "a")).isEmpty();
    assertThat(store.stats(C).total()).isZero();
    assertThat(claim("a", "w1").applied()).isTrue();
  }

  @Test
  public void resultsComeBackInTheOrderOfTheChanges() {
    List<StateChange> changes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      changes.add(new Changes.Claim(C, "k" + i, "w", now, now + LEASE, "{}", null, false));
    }
    List<ChangeResult> rs = store.apply(changes);
    assertThat(rs).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(rs.get(i).record().key()).isEqualTo("k" + i);
    }
  }

  // ---------------------------------------------------------------- counts and listings

  @Test
  public void countsFollowEveryMoveOfARandomHistory() {
    Random random = new Random(42);
    Status[] all = Status.values();
    for (int i = 0; i < 2_000; i++) {
      String key = "k" + random.nextInt(60);
      Status to = all[random.nextInt(all.length)];
      apply(new Force(C, key, to)); // refused moves must not count either
    }
    Map<Status, Long> recount = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      recount.put(s, (long) allKeys(s).size());
    }
    assertThat(store.stats(C)).isEqualTo(new Stats(recount));
  }

  protected List<String> allKeys(Status status) {
    List<String> keys = new ArrayList<>();
    String cursor = null;
    do {
      Page<String> page = store.keys(C, status, cursor, 7);
      keys.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return keys;
  }

  @Test
  public void keysArePagedByCursorInInsertionOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String key = "key-" + (50 - i); // not alphabetical: order must be insertion order
      reach(key, Status.QUEUED);
      expected.add(key);
    }
    reach("other", Status.ERROR);
    assertThat(allKeys(Status.QUEUED)).containsExactlyElementsOf(expected);
    Page<String> first = store.keys(C, Status.QUEUED, null, 50);
    assertThat(first.items()).hasSize(50);
    assertThat(first.hasMore()).isFalse();
    assertThat(store.keys(C, Status.ERROR, null, 10).items()).containsExactly("other");
  }

  @Test
  public void keysOfSeveralStatusesAreMergedInInsertionOrder() {
    List<String> expected = new ArrayList<>();
    Status[] cycle = {Status.QUEUED, Status.ERROR, Status.COMPLETED, Status.RUNNING};
    for (int i = 0; i < 40; i++) {
      Status s = cycle[i % cycle.length];
      reach("m" + i, s);
      if (s != Status.COMPLETED) {
        expected.add("m" + i);
      }
    }
    java.util.Set<Status> todo = java.util.EnumSet.of(Status.QUEUED, Status.ERROR, Status.RUNNING);
    List<String> got = new ArrayList<>();
    String cursor = null;
    do {
      Page<String> page = store.keys(C, todo, cursor, 4);
      assertThat(page.items().size()).isLessThanOrEqualTo(4);
      got.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(got).containsExactlyElementsOf(expected);
  }

  @Test
  public void attemptedCountsResourcesTriedAtLeastOnce() {
    reach("q", Status.QUEUED);
    reach("r", Status.RUNNING);
    reach("c", Status.COMPLETED);
    reach("e", Status.ERROR);
    assertThat(store.stats(C).attempted()).isEqualTo(3);
    assertThat(store.moveAll(C, Status.ERROR, Status.QUEUED, now)).isEqualTo(1);
    assertThat(store.stats(C).attempted()).isEqualTo(2);
    apply(new Force(C, "c", Status.UNAVAILABLE));
    assertThat(store.stats(C).attempted()).isEqualTo(1);
  }

  @Test
  public void badCursorAndPageSizeAreRefusedClearly() {
    assertThatThrownBy(() -> store.keys(C, Status.QUEUED, "not-a-cursor", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
    assertThatThrownBy(() -> store.keys(C, Status.QUEUED, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("page size");
  }

  @Test
  public void unknownCollectionHasNoResourcesAndEmptyStats() {
    assertThat(store.get("nothing", "a")).isEmpty();
    assertThat(store.stats("nothing").total()).isZero();
    assertThat(store.keys("nothing", Status.ERROR, null, 10).items()).isEmpty();
  }

  @Test
  public void moveAllMakesErrorsQueuedAndKeepsCountsRight() {
    for (int i = 0; i < 5; i++) {
      reach("e" + i, Status.ERROR);
    }
    reach("done", Status.COMPLETED);
    assertThat(store.moveAll(C, Status.ERROR, Status.QUEUED, now)).isEqualTo(5);
    Stats stats = store.stats(C);
    assertThat(stats.count(Status.ERROR)).isZero();
    assertThat(stats.count(Status.QUEUED)).isEqualTo(5);
    assertThat(stats.count(Status.COMPLETED)).isEqualTo(1);
    StoredResource e0 = store.get(C, "e0").orElseThrow();
    assertThat(e0.attempts()).isZero();
    assertThat(e0.error()).contains("boom");
  }

  @Test
  public void moveAllRefusesRunningAndForbiddenMoves() {
    assertThatThrownBy(() -> store.moveAll(C, Status.RUNNING, Status.QUEUED, now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.moveAll(C, Status.ABORTED, Status.ERROR, now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  public void deletingForgetsTheResource() {
    reach("a", Status.COMPLETED);
    assertThat(apply(new Force(C, "a", Status.UNAVAILABLE)).applied()).isTrue();
    assertThat(store.get(C, "a")).isEmpty();
    assertThat(store.stats(C).total()).isZero();
  }

  // ---------------------------------------------------------------- collections and reads

  @Test
  public void collectionsAreListedSortedWithTheirVersions() {
    store.registerCollection("zeta", "2");
    store.registerCollection("alpha", "");
    claim("a", "w");
    assertThat(store.collections()).containsExactly("alpha", C, "zeta");
    assertThat(store.collectionVersion("zeta")).contains("2");
    store.registerCollection("zeta", "3");
    assertThat(store.collectionVersion("zeta")).contains("3");
    assertThat(store.collectionVersion("missing")).isEmpty();
  }

  @Test
  public void getAllReturnsOnlyStoredResources() {
    reach("a", Status.QUEUED);
    reach("c", Status.ERROR);
    Map<String, StoredResource> found = store.getAll(C, List.of("a", "b", "c"));
    assertThat(found).containsOnlyKeys("a", "c");
    assertThat(found.get("c").status()).isEqualTo(Status.ERROR);
  }

  @Test
  public void keysAreStoredExactlyAsGiven() {
    List<String> odd =
        List.of("../../etc/passwd", "a/b", "ünïcødé ✓", "x".repeat(10_000), " spaced ", "%2F");
    Map<String, Integer> n = new HashMap<>();
    for (String key : odd) {
      assertThat(claim(key, "w").applied()).isTrue();
      n.merge(key, 1, Integer::sum);
    }
    for (String key : odd) {
      assertThat(store.get(C, key).orElseThrow().key()).isEqualTo(key);
    }
    assertThat(allKeys(Status.RUNNING)).containsExactlyElementsOf(odd);
  }

  // ---------------------------------------------------------------- moveAll and counts

  /** A change that writes a record with the given status and attempts, as a test wants it. */
  protected record PutRecord(String collection, String key, Status to, int attempts)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      boolean running = to == Status.RUNNING;
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              to,
              attempts,
              "{}",
              to == Status.COMPLETED ? "1" : null,
              to == Status.ERROR ? "boom" : null,
              "fp",
              1,
              attempts > 0 ? 2 : 0,
              attempts > 0 && !running ? 3 : 0,
              running ? "w" : null,
              running ? Long.MAX_VALUE : 0));
    }
  }

  private static final List<Status> STORED =
      List.of(Status.QUEUED, Status.RUNNING, Status.COMPLETED, Status.ERROR, Status.ABORTED);

  @Test
  public void moveAllOverEveryAllowedPairKeepsEveryCountEqualToTheRows() {
    int pairs = 0;
    for (Status from : Status.values()) {
      if (from == Status.UNAVAILABLE || from == Status.RUNNING) {
        continue; // refused by moveAll (see moveAllRefusesRunningAndForbiddenMoves)
      }
      for (Status to : from.allowedNext()) {
        String coll = "mv-" + from.label() + "-" + to.label();
        List<String> keys = new ArrayList<>();
        // In every status, one resource tried before (attempts > 0) and one never tried.
        for (Status s : STORED) {
          for (int attempts : new int[] {3, 0}) {
            String key = s.label() + "-" + attempts;
            keys.add(key);
            assertThat(apply(new PutRecord(coll, key, Status.RUNNING, attempts)).applied())
                .isTrue();
            if (s != Status.RUNNING) {
              assertThat(apply(new PutRecord(coll, key, s, attempts)).applied()).isTrue();
            }
          }
        }
        assertCountsMatchRows(coll, keys, from + " -> " + to + " (before)");

        assertThat(store.moveAll(coll, from, to, now))
            .as("moved by %s -> %s", from, to)
            .isEqualTo(2);

        Map<String, StoredResource> rows = store.getAll(coll, keys);
        for (int attempts : new int[] {3, 0}) {
          String key = from.label() + "-" + attempts;
          if (to == Status.UNAVAILABLE) {
            assertThat(rows).as("%s after %s -> %s", key, from, to).doesNotContainKey(key);
          } else {
            assertThat(rows.get(key).status()).as("%s after %s -> %s", key, from, to).isEqualTo(to);
          }
        }
        assertCountsMatchRows(coll, keys, from + " -> " + to);
        pairs++;
      }
    }
    assertThat(pairs).as("allowed (from, to) pairs tried").isEqualTo(19);
  }

  /** Every maintained count and the attempted count equal what the rows and listings say. */
  private void assertCountsMatchRows(String coll, List<String> keys, String when) {
    Map<String, StoredResource> rows = store.getAll(coll, keys);
    Map<Status, Long> counted = new EnumMap<>(Status.class);
    long attempted = 0;
    for (StoredResource r : rows.values()) {
      counted.merge(r.status(), 1L, Long::sum);
      attempted += r.attempts() > 0 ? 1 : 0;
    }
    Stats stats = store.stats(coll);
    for (Status s : STORED) {
      assertThat(stats.count(s))
          .as("count of %s after %s", s, when)
          .isEqualTo(counted.getOrDefault(s, 0L));
      List<String> listed = new ArrayList<>();
      String cursor = null;
      do {
        Page<String> page = store.keys(coll, s, cursor, 100);
        listed.addAll(page.items());
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(listed).as("keys listed as %s after %s", s, when).hasSize((int) stats.count(s));
      for (String key : listed) {
        assertThat(rows.get(key).status()).as("status of %s after %s", key, when).isEqualTo(s);
      }
    }
    assertThat(stats.total()).as("total after %s", when).isEqualTo(rows.size());
    assertThat(stats.attempted()).as("attempted after %s", when).isEqualTo(attempted);
  }
}
