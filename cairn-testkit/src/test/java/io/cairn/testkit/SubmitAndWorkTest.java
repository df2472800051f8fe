package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.collection.ResourceCollection;
import io.cairn.pipeline.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection's resources submitted to the durable queue and run by workers: two Cairn instances
 * on one SQLite home (two owners, as two processes would be), items three times slower than the
 * lease, four threads each. Every item is computed exactly once, by one of them; submitting again
 * queues nothing that is done; stopping a worker leaves nothing RUNNING.
 */
class SubmitAndWorkTest {
  @TempDir Path dir;

  @Test
  void twoWorkersComputeEverySubmittedItemOnceEvenWhenItemsOutlastTheLease() throws Exception {
    Path home = dir.resolve("home");
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, String> by = new ConcurrentHashMap<>();
    int items = 40;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      keys.add("k" + i);
    }
    try (Cairn submitter = open(home, "submitter", runs, by);
        Cairn a = open(home, "a", runs, by);
        Cairn b = open(home, "b", runs, by)) {
      assertThat(submitter.submit("slow", keys, Map.of("factor", 2))).isEqualTo(items);
      assertThat(submitter.stats("slow").count(Status.QUEUED)).isEqualTo(items);
      assertThat(submitter.submit("slow", keys, Map.of("factor", 2)))
          .as("queued already: nothing new")
          .isZero();
      Thread wa = worker(a);
      AtomicReference<RunSummary> summaryB = new AtomicReference<>();
      Thread wb =
          new Thread(() -> summaryB.set(b.work(List.of(), List.of("slow"), 4, Duration.ZERO)));
      wa.start();
      wb.start();
      Await.until(
          "every item to be computed",
          Duration.ofSeconds(60),
          () -> submitter.stats("slow").count(Status.COMPLETED) == items);
      wa.interrupt();
      wb.interrupt();
      wa.join(30_000);
      wb.join(30_000);
      assertThat(summaryB.get().completed()).isPositive();
      assertThat(submitter.stats("slow").count(Status.RUNNING)).isZero();
      assertThat(submitter.submit("slow", keys, Map.of("factor", 2)))
          .as("done already, same arguments: nothing queued")
          .isZero();
      assertThat(submitter.fetch("slow", "k7", Map.of("factor", 2)).result()).isEqualTo(14);
    }
    assertThat(runs).hasSize(items);
    runs.forEach((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
    assertThat(by.values()).contains("a", "b");
  }

  @Test
  void badSubmissionsAndWorkersAreRefusedClearly() {
    try (Cairn cairn = Cairn.open(dir.resolve("home"))) {
      ResourceCollection c = cairn.collection("c", (k, a, ctx) -> k);
      assertThatThrownBy(() -> c.submit(List.of("ok", ""), Map.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(cairn.stats("c").total()).as("a batch with a bad key writes nothing").isZero();
      assertThatThrownBy(() -> cairn.submit("nope", List.of("a"), Map.of()))
          .isInstanceOf(UnknownCollectionException.class);
      assertThatThrownBy(() -> cairn.work(List.of(), List.of(), 1, Duration.ZERO))
          .hasMessage("a worker needs at least one pipeline or collection to work on");
      assertThatThrownBy(() -> cairn.work(List.of(), List.of("c"), 0, Duration.ZERO))
          .hasMessage("threads must be 1 to 10000, got 0");
      assertThatThrownBy(() -> cairn.work(List.of(), List.of("c"), 1, Duration.ofSeconds(-1)))
          .hasMessageContaining("drain must be 0 or more");
    }
  }

  private static Thread worker(Cairn cairn) {
    return new Thread(() -> cairn.work(List.of(), List.of("slow"), 4, Duration.ZERO));
  }

  /** An item takes 300 ms, three times the 100 ms lease: only renewals keep it. */
  private static Cairn open(
      Path home, String name, Map<String, AtomicInteger> runs, Map<String, String> by) {
    Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofMillis(100)).open();
    cairn.collection(
        "slow",
        (key, args, ctx) -> {
          runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          by.put(key, name);
          Thread.sleep(300);
          return Integer.parseInt(key.substring(1)) * ((Number) args.get("factor")).intValue();
        });
    return cairn;
  }
}
