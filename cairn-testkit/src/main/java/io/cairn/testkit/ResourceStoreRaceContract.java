package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.ChangeResult.Outcome;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two instances of a store (two processes, as far as the backend can tell) racing on the same keys:
 * claims, completes and renewals decided in the store's transactions must give exactly one winner
 * per key and attempt, and counts equal to the rows.
 */
public abstract class ResourceStoreRaceContract<S extends ResourceStore>
    extends ResourceStoreQueueContract<S> {
  private static final String R = "race";
  private static final long T0 = 1_000_000;
  private static final long RACE_LEASE = 30_000;
  private static final int KEYS = 300;
  private static final int THREADS_PER_INSTANCE = 3;

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add("k" + i);
    }
    return keys;
  }

  private interface Worker {
    void run(ResourceStore s, int thread, List<String> order) throws Exception;
  }

  /** Runs {@code worker} on both instances at once, each key order shuffled per thread. */
  private void race(Worker worker) throws Exception {
    ResourceStore second = secondInstance();
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2 * THREADS_PER_INSTANCE; t++) {
        int thread = t;
        ResourceStore s = t % 2 == 0 ? store : second;
        List<String> order = keys();
        Collections.shuffle(order, new Random(t));
        fs.add(
            pool.submit(
                () -> {
                  start.await();
                  worker.run(s, thread, order);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      if (second != store) {
        second.close();
      }
    }
  }

  private static ChangeResult one(ResourceStore s, StateChange c) {
    return s.apply(List.of(c)).get(0);
  }

  private void assertCountsMatchRows() {
    Stats stats = store.stats(R);
    Map<Status, Long> byStatus = new java.util.EnumMap<>(Status.class);
    long attempted = 0;
    for (String k : keys()) {
      StoredResource r = store.get(R, k).orElse(null);
      if (r != null) {
        byStatus.merge(r.status(), 1L, Long::sum);
        attempted += r.attempts() > 0 ? 1 : 0;
      }
    }
    for (Status st : Status.values()) {
      if (st != Status.UNAVAILABLE) {
        assertThat(stats.count(st)).as("count of %s", st).isEqualTo(byStatus.getOrDefault(st, 0L));
      }
    }
    assertThat(stats.attempted()).isEqualTo(attempted);
  }

  @Test
  public void twoInstancesClaimingTheSameKeysGiveEachKeyToExactlyOneOwner() throws Exception {
    Map<String, String> winners = new ConcurrentHashMap<>();
    AtomicInteger doubleWins = new AtomicInteger();
    AtomicInteger completes = new AtomicInteger();
    race(
        (s, thread, order) -> {
          String owner = "w" + thread;
          for (String k : order) {
            ChangeResult c =
                one(s, new Changes.Claim(R, k, owner, T0, T0 + RACE_LEASE, "{}", "fp", false));
            if (c.outcome() == Outcome.APPLIED) {
              if (winners.putIfAbsent(k, owner) != null) {
                doubleWins.incrementAndGet();
              }
              ChangeResult renewed =
                  one(
                      s,
                      new Changes.Renew(R, k, owner, c.record().attempts(), T0 + 2 * RACE_LEASE));
              assertThat(renewed.outcome()).isNotEqualTo(Outcome.REFUSED);
              ChangeResult done =
                  one(
                      s,
                      new Changes.Complete(
                          R, k, owner, c.record().attempts(), "1", "fp", T0, T0 + 1));
              assertThat(done.applied()).isTrue();
              completes.incrementAndGet();
            }
          }
        });
    assertThat(doubleWins.get()).isZero();
    assertThat(winners).hasSize(KEYS);
    assertThat(completes.get()).isEqualTo(KEYS);
    for (String k : keys()) {
      StoredResource r = store.get(R, k).orElseThrow();
      assertThat(r.status()).isEqualTo(Status.COMPLETED);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.owner()).isEqualTo(winners.get(k));
    }
    assertCountsMatchRows();
  }

  @Test
  public void aStaleAttemptRacingATakeoverNeverWinsWithIt() throws Exception {
    // Every key claimed by "old", whose lease has expired by the time the race starts.
    List<StateChange> claims = new ArrayList<>();
    for (String k : keys()) {
      claims.add(new Changes.Claim(R, k, "old", T0, T0 + 1, "{}", null, false));
    }
    store.apply(claims);
    long later = T0 + 10;
    Map<String, Integer> wins = new ConcurrentHashMap<>();
    race(
        (s, thread, order) -> {
          for (String k : order) {
            if (thread == 0) {
              // The stale attempt tries to finish (and renew) after its lease expired.
              if (one(s, new Changes.Renew(R, k, "old", 1, later + RACE_LEASE)).applied()
                  && one(s, new Changes.Complete(R, k, "old", 1, "0", "fp", T0, later)).applied()) {
                wins.merge(k, 1, Integer::sum);
              }
              continue;
            }
            String owner = "new" + thread;
            ChangeResult c =
                one(
                    s,
                    new Changes.Claim(R, k, owner, later, later + RACE_LEASE, "{}", "fp", false));
            if (c.applied()) {
              wins.merge(k, 1, Integer::sum);
              // A Complete of the old attempt by this new owner's id is fenced as well.
              assertThat(
                      one(s, new Changes.Complete(R, k, owner, 1, "x", "fp", later, later))
                          .outcome())
                  .isEqualTo(Outcome.REFUSED);
              assertThat(
                      one(s, new Changes.Complete(R, k, owner, 2, "2", "fp", later, later + 1))
                          .applied())
                  .isTrue();
            }
          }
        });
    for (String k : keys()) {
      assertThat(wins.get(k)).as("winners of %s", k).isEqualTo(1);
      assertThat(store.get(R, k).orElseThrow().status()).isEqualTo(Status.COMPLETED);
    }
    assertCountsMatchRows();
  }

  @Test
  public void releaseReturnsAClaimWithoutSpendingATryAndOnlyForItsHolder() {
    assertThat(
            one(store, new Changes.Claim(R, "k0", "w1", T0, T0 + RACE_LEASE, "{}", null, false))
                .applied())
        .isTrue();
    assertThat(one(store, new Changes.Release(R, "k0", "w2", 1, T0)).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(one(store, new Changes.Release(R, "k0", "w1", 2, T0)).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(one(store, new Changes.Release(R, "k0", "w1", 1, T0)).applied()).isTrue();
    StoredResource r = store.get(R, "k0").orElseThrow();
    assertThat(r.status()).isEqualTo(Status.QUEUED);
    assertThat(r.attempts()).isZero();
    assertThat(r.owner()).isNull();
    assertThat(store.stats(R).attempted()).isZero();
    // Claimed again at once by anyone, as attempt 1 again.
    ChangeResult again =
        one(store, new Changes.Claim(R, "k0", "w2", T0, T0 + RACE_LEASE, "{}", null, false));
    assertThat(again.applied()).isTrue();
    assertThat(again.record().attempts()).isEqualTo(1);
    assertCountsMatchRows();
  }

  @Test
  public void twoInstancesClaimingNextFromManyThreadsNeverHandAResourceToTwoOwners()
      throws Exception {
    List<StateChange> enqueues = new ArrayList<>();
    for (String k : keys()) {
      enqueues.add(new Changes.Enqueue(R, k, "{\"call\":\"x\"}", "{}", null, T0));
    }
    store.apply(enqueues);
    Map<String, String> winners = new ConcurrentHashMap<>();
    AtomicInteger doubleWins = new AtomicInteger();
    race(
        (s, thread, order) -> {
          String owner = "w" + thread;
          while (true) {
            List<StoredResource> got =
                s.claimNext(java.util.Set.of(R), owner, 1 + thread % 4, s.now() + RACE_LEASE);
            if (got.isEmpty()) {
              return;
            }
            List<StateChange> done = new ArrayList<>();
            for (StoredResource r : got) {
              assertThat(r.owner()).isEqualTo(owner);
              assertThat(r.attempts()).isEqualTo(1);
              if (winners.putIfAbsent(r.key(), owner) != null) {
                doubleWins.incrementAndGet();
              }
              done.add(new Changes.Complete(R, r.key(), owner, 1, "1", "fp", T0, T0 + 1));
            }
            for (ChangeResult c : s.apply(done)) {
              assertThat(c.applied()).isTrue();
            }
          }
        });
    assertThat(doubleWins.get()).isZero();
    assertThat(winners).hasSize(KEYS);
    for (String k : keys()) {
      StoredResource r = store.get(R, k).orElseThrow();
      assertThat(r.status()).isEqualTo(Status.COMPLETED);
      assertThat(r.owner()).isEqualTo(winners.get(k));
    }
    assertCountsMatchRows();
  }
}
