package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.pipeline.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Cairn#work} with an idle bound, judged by the Cairn's clock (moved by hand here): it
 * returns once nothing was held and nothing was claimable for that long, and never while it holds a
 * job.
 */
class WorkerIdleExitTest {
  private static final Duration IDLE = Duration.ofSeconds(10);

  @TempDir Path dir;
  // Starts at the real time: the store judges lease expiry by its own clock, so leases written by
  // this clock must not lie in its past.
  private final MutableClock clock = new MutableClock(System.currentTimeMillis());

  private Cairn open() {
    return Cairn.builder().home(dir.resolve("home")).clock(clock).open();
  }

  @Test
  void anIdleWorkerReturnsItsSummaryOnceIdleForTheBound() throws Exception {
    try (Cairn cairn = open()) {
      cairn.collection("sq", (key, args, ctx) -> Integer.parseInt(key) * Integer.parseInt(key));
      cairn.submit("sq", List.of("1", "2", "3"), Map.of());
      CompletableFuture<RunSummary> worker = workInBackground(cairn);
      awaitCompleted(cairn, 3);

      clock.advance(IDLE.toMillis() - 1_000);
      // Still working: what is submitted now runs.
      cairn.submit("sq", List.of("4"), Map.of());
      awaitCompleted(cairn, 4);
      assertThat(worker).isNotDone();

      clock.advance(IDLE.toMillis() + 1_000);
      RunSummary summary = worker.get(30, TimeUnit.SECONDS);
      assertThat(summary.completed()).isEqualTo(4);
      assertThat(cairn.fetch("sq", "4").result()).isEqualTo(16);
    }
  }

  @Test
  void aWorkerHoldingAJobNeverStopsForIdleness() throws Exception {
    try (Cairn cairn = open()) {
      cairn.collection(
          "slow",
          (key, args, ctx) -> {
            if (key.equals("long")) {
              // Past the idle bound while this job runs (and within the lease); the worker's
              // claim loop looks several times meanwhile.
              clock.advance(2 * IDLE.toMillis());
              Thread.sleep(1_000);
            }
            return key;
          });
      cairn.submit("slow", List.of("long"), Map.of());
      CompletableFuture<RunSummary> worker = workInBackground(cairn);
      awaitCompleted(cairn, "slow", 1);

      cairn.submit("slow", List.of("after"), Map.of());
      awaitCompleted(cairn, "slow", 2);
      assertThat(worker).isNotDone();

      clock.advance(IDLE.toMillis() + 1);
      assertThat(worker.get(30, TimeUnit.SECONDS).completed()).isEqualTo(2);
    }
  }

  @Test
  void aNonPositiveIdleBoundIsRefused() throws Exception {
    try (Cairn cairn = open()) {
      cairn.collection("sq", (key, args, ctx) -> key);
      assertThatThrownBy(
              () -> cairn.work(List.of(), List.of("sq"), 1, Duration.ZERO, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("idle exit must be positive");
    }
  }

  private static CompletableFuture<RunSummary> workInBackground(Cairn cairn) {
    CompletableFuture<RunSummary> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(
                    cairn.work(
                        List.of(), cairn.registeredCollections(), 2, Duration.ofSeconds(5), IDLE));
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "idle-exit-worker");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static void awaitCompleted(Cairn cairn, int n) throws InterruptedException {
    awaitCompleted(cairn, "sq", n);
  }

  private static void awaitCompleted(Cairn cairn, String collection, int n)
      throws InterruptedException {
    // Real time only bounds the wait for the worker's threads; the idle bound is the clock's.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cairn.stats(collection).count(Status.COMPLETED) != n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + n + " of " + collection + ": " + cairn.stats(collection));
      }
      Thread.sleep(10);
    }
  }
}
