package io.cairn.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  /** A store that counts transactions and can hold the commit thread inside one. */
  static final class CountingStore {
    final StateStore inner = StateStores.inMemory();
    final AtomicInteger transactions = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);

    List<ChangeResult> apply(List<StateChange> changes) {
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
}
