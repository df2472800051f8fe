package io.cairn.internal.engine;

import static io.cairn.internal.engine.GroupCommitterTest.claim;
import static io.cairn.internal.engine.GroupCommitterTest.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.CairnException;
import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who commits: the leader/follower protocol of {@link GroupCommitter}. */
class GroupCommitterLeaderTest {
  @TempDir Path dir;

  /** A real SQLite store that records which threads ran its transactions, and how many. */
  static final class RecordingStore implements AutoCloseable {
    final StateStore inner;
    final AtomicInteger transactions = new AtomicInteger();
    final Set<Thread> committers = ConcurrentHashMap.newKeySet();

    RecordingStore(Path file) {
      inner = StateStores.sqlite(file);
    }

    List<ChangeResult> apply(List<StateChange> changes) {
      committers.add(Thread.currentThread());
      transactions.incrementAndGet();
      return inner.apply(changes);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
  }

  @Test
  void aLoneCallerCommitsOnItsOwnThreadAndNoCommitThreadStarts() {
    try (RecordingStore store = new RecordingStore(dir.resolve("lone.db"));
        GroupCommitter<StateChange, ChangeResult> committer =
            new GroupCommitter<>("lone-commit", store::apply)) {
      for (int i = 0; i < 50; i++) {
        assertThat(committer.apply(claim("k" + i)).applied()).isTrue();
      }
      assertThat(store.committers).containsExactly(Thread.currentThread());
      assertThat(store.transactions.get()).isEqualTo(50);
      assertThat(threadNamed("lone-commit")).isFalse();
      assertThat(store.inner.stats("c").count(Status.RUNNING)).isEqualTo(50);
    }
  }

  @Test
  void sixteenThreadsWritesShareFewerTransactionsThanWrites() throws Exception {
    int threads = 16;
    int each = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (RecordingStore store = new RecordingStore(dir.resolve("many.db"));
        GroupCommitter<StateChange, ChangeResult> committer =
            new GroupCommitter<>("many-commit", store::apply)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  int applied = 0;
                  for (int i = 0; i < each; i++) {
                    applied += committer.apply(claim("t" + id + "-" + i)).applied() ? 1 : 0;
                  }
                  return applied;
                }));
      }
      start.countDown();
      for (Future<Integer> f : done) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(each);
      }
      assertThat(store.inner.stats("c").count(Status.RUNNING)).isEqualTo(threads * each);
      assertThat(store.transactions.get()).isLessThan(threads * each);
      // Callers led, not a commit thread: none was started.
      assertThat(store.committers).allMatch(t -> !t.getName().equals("many-commit"));
      assertThat(threadNamed("many-commit")).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void asyncSubmissionsCompleteWithNoCallerWaiting() throws Exception {
    try (RecordingStore store = new RecordingStore(dir.resolve("async.db"));
        GroupCommitter<StateChange, ChangeResult> committer =
            new GroupCommitter<>("async-commit", store::apply)) {
      List<CompletableFuture<List<ChangeResult>>> futures = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        futures.add(committer.submit(List.of(claim("a" + i))));
      }
      for (var f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS).get(0).applied()).isTrue();
      }
      assertThat(store.inner.stats("c").count(Status.RUNNING)).isEqualTo(300);
      assertThat(store.committers).extracting(Thread::getName).containsOnly("async-commit");
    }
  }

  @Test
  void anErrorInALeadersBatchFailsItsFollowersAndBreaksTheCommitter() throws Exception {
    GroupCommitterTest.CountingStore store = new GroupCommitterTest.CountingStore();
    CountDownLatch inBad = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Set<Thread> ranBad = ConcurrentHashMap.newKeySet();
    StateChange bad =
        throwing(
            "bad",
            () -> {
              ranBad.add(Thread.currentThread());
              inBad.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new AssertionError("invariant broken in decide");
            });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (GroupCommitter<StateChange, ChangeResult> committer = store.committer()) {
      CompletableFuture<Thread> leaderThread = new CompletableFuture<>();
      Future<?> leader =
          pool.submit(
              () -> {
                leaderThread.complete(Thread.currentThread());
                return committer.apply(List.of(claim("beside-bad"), bad));
              });
      assertThat(inBad.await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> follower = pool.submit(() -> committer.apply(claim("follower")));
      Await.until(() -> followersWaiting(committer) == 1, 10_000);
      release.countDown();

      assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("write failed: java.lang.AssertionError")
          .hasCauseInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> follower.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("is broken by java.lang.AssertionError");
      // The leader ran the batch on its own thread, and the batch was all or nothing.
      assertThat(ranBad).containsExactly(leaderThread.get());
      assertThat(store.inner.get("c", "beside-bad")).isEmpty();
      assertThat(store.inner.get("c", "follower")).isEmpty();
      assertThat(committer.brokenBy()).containsInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> committer.apply(claim("later")))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("close this Cairn and open it again");
    } finally {
      pool.shutdownNow();
    }
  }

  private static int followersWaiting(GroupCommitter<?, ?> committer) {
    return committer.followersForTest();
  }

  /** A bounded wait on a condition, polling; for the few waits no clock can drive. */
  static final class Await {
    static void until(java.util.function.BooleanSupplier condition, long timeoutMillis)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("condition not met within " + timeoutMillis + " ms");
        }
        Thread.sleep(1);
      }
    }
  }
}
