package io.cairn.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.CairnException;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  /** A store that counts transactions and can hold the commit thread inside one. */
  static final class CountingStore {
    final StateStore inner = StateStores.inMemory();
    final AtomicInteger transactions = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);

    List<ChangeResult> apply(List<StateChange> changes) {
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      transactions.incrementAndGet();
      return inner.apply(changes);
    }

    Stats stats(String collection) {
      return inner.stats(collection);
    }

    GroupCommitter<StateChange, ChangeResult> committer() {
      return new GroupCommitter<>("test-commit", this::apply);
    }

    GroupCommitter<StateChange, ChangeResult> committer(Duration closeTimeout) {
      return new GroupCommitter<>("test-commit", this::apply, closeTimeout);
    }
  }

  /** A change whose decision runs {@code body} (which throws) instead of deciding. */
  static StateChange throwing(String key, Runnable body) {
    return new StateChange() {
      @Override
      public String collection() {
        return "c";
      }

      @Override
      public String key() {
        return key;
      }

      @Override
      public ChangeResult decide(StoredResource current) {
        body.run();
        throw new IllegalStateException("unreachable");
      }
    };
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  static StateChange claim(String key) {
    return new Changes.Claim("c", key, "me", 1, 100_000, "{}", null, false);
  }

  @Test
  void submissionsWaitingDuringACommitShareTheNextTransaction() throws Exception {
    CountingStore store = new CountingStore();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      store.gate = new CountDownLatch(1);
      Future<ChangeResult> first = pool.submit(() -> committer.apply(claim("first")));
      // While the commit thread is held inside the first transaction, 200 more arrive.
      List<Future<ChangeResult>> rest = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String key = "k" + i;
        rest.add(pool.submit(() -> committer.apply(claim(key))));
      }
      while (((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount() < 8) {
        Thread.onSpinWait();
      }
      assertThat(first.isDone()).isFalse();
      store.gate.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).applied()).isTrue();
      for (Future<ChangeResult> f : rest) {
        assertThat(f.get(10, TimeUnit.SECONDS).applied()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.stats("c").count(Status.RUNNING)).isEqualTo(201);
    assertThat(store.transactions.get()).isLessThan(201);
  }

  @Test
  void aCallerReturnsOnlyAfterItsChangeIsInTheStore() {
    CountingStore store = new CountingStore();
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      for (int i = 0; i < 100; i++) {
        committer.apply(claim("k" + i));
        assertThat(store.inner.get("c", "k" + i)).isPresent();
      }
    }
  }

  @Test
  void aFailingSubmissionFailsOnlyItsOwnCaller() throws Exception {
    CountingStore store = new CountingStore();
    StateChange broken =
        new StateChange() {
          @Override
          public String collection() {
            return "c";
          }

          @Override
          public String key() {
            return "broken";
          }

          @Override
          public ChangeResult decide(StoredResource current) {
            throw new IllegalStateException("broken change");
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      store.gate = new CountDownLatch(1);
      Future<ChangeResult> hold = pool.submit(() -> committer.apply(claim("hold")));
      Future<ChangeResult> bad = pool.submit(() -> committer.apply(broken));
      Future<ChangeResult> good = pool.submit(() -> committer.apply(claim("good")));
      while (((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount() < 3) {
        Thread.onSpinWait();
      }
      store.gate.countDown();
      assertThat(hold.get(10, TimeUnit.SECONDS).applied()).isTrue();
      assertThat(good.get(10, TimeUnit.SECONDS).applied()).isTrue();
      assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasMessageContaining("broken change");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void submittingAfterCloseIsRefused() {
    GroupCommitter<StateChange, ChangeResult> committer = new CountingStore().committer();
    committer.apply(claim("a"));
    committer.close();
    assertThatThrownBy(() -> committer.apply(claim("b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void anErrorInACommitFailsTheWholeBatchAndEveryoneWaitingThenLaterCallsFailFast()
      throws Exception {
    CountingStore store = new CountingStore();
    CountDownLatch inBad = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StateChange bad =
        throwing(
            "bad",
            () -> {
              inBad.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new AssertionError("invariant broken in decide");
            });
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      var inBatch = committer.submit(List.of(claim("same-batch"), bad));
      assertThat(inBad.await(10, TimeUnit.SECONDS)).isTrue();
      // Enqueued while the failing transaction runs: must fail too, not wait forever.
      var waiting = committer.submit(List.of(claim("waiting")));
      release.countDown();

      assertThatThrownBy(() -> inBatch.get(1, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("broken")
          .hasMessageContaining("invariant broken in decide");
      // The batch was all or nothing: the good change beside the bad one was not written.
      assertThat(store.inner.get("c", "same-batch")).isEmpty();
      assertThat(store.inner.get("c", "waiting")).isEmpty();

      assertThat(committer.brokenBy()).containsInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> committer.apply(claim("later")))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("commit thread 'test-commit' is broken by")
          .hasMessageContaining("java.lang.AssertionError: invariant broken in decide")
          .hasMessageContaining("close this Cairn and open it again")
          .hasMessageNotContaining("\n")
          .hasCauseInstanceOf(AssertionError.class);
    }
  }

  @Test
  void aStackOverflowInADecisionReachesTheCallerWithinASecond() throws Exception {
    CountingStore store = new CountingStore();
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      var f = committer.submit(List.of(throwing("deep", () -> recurse(0))));
      assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StackOverflowError.class);
      assertThatThrownBy(() -> committer.apply(claim("after")))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("StackOverflowError");
    }
  }

  @Test
  void aRuntimeExceptionAloneDoesNotBreakTheCommitter() {
    CountingStore store = new CountingStore();
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      assertThatThrownBy(
              () ->
                  committer.apply(
                      throwing(
                          "bad",
                          () -> {
                            throw new IllegalArgumentException("one bad change");
                          })))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(committer.brokenBy()).isEmpty();
      assertThat(committer.apply(claim("next")).applied()).isTrue();
    }
  }

  @Test
  void closeThatGivesUpWaitingFailsThePendingWritesInsteadOfLeavingThemHanging() throws Exception {
    CountingStore store = new CountingStore();
    store.gate = new CountDownLatch(1);
    GroupCommitter<StateChange, ChangeResult> committer = store.committer(Duration.ofMillis(100));
    try {
      var writing = committer.submit(List.of(claim("writing")));
      assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
      var queued = committer.submit(List.of(claim("queued")));
      committer.close();
      for (var f : List.of(writing, queued)) {
        assertThatThrownBy(() -> f.get(0, TimeUnit.SECONDS))
            .isNotInstanceOf(TimeoutException.class)
            .cause()
            .isInstanceOf(CairnException.class)
            .hasMessageContaining("still writing after 100 ms");
      }
    } finally {
      store.gate.countDown();
    }
  }
}
