package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.collection.FetchAllResult;
import io.cairn.collection.FetchProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  final List<Cairn> opened = new ArrayList<>();
  final ExecutorService pool = Executors.newCachedThreadPool();

  Cairn open(java.time.InstantSource clock) {
    Cairn c = builder().clock(clock).open();
    opened.add(c);
    return c;
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    opened.forEach(Cairn::close);
  }

  @Test
  void manyThreadsFetchingOneIdentRunTheFunctionOnce() throws Exception {
    Cairn cairn = open(java.time.InstantSource.system());
    AtomicInteger calls = new AtomicInteger();
    cairn.collection(
        "slow",
        (ident, args, ctx) -> {
          calls.incrementAndGet();
          Thread.sleep(50); // widen the window in which the others race
          return ident;
        });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Resource>> fs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      fs.add(
          pool.submit(
              () -> {
                start.await();
                return cairn.fetch("slow", "same");
              }));
    }
    start.countDown();
    for (Future<Resource> f : fs) {
      assertThat(f.get(30, TimeUnit.SECONDS).result()).isEqualTo("same");
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void twoCairnsOnOneHomeComputeEachIdentOnce() throws Exception {
    Cairn a = open(java.time.InstantSource.system());
    Cairn b = open(java.time.InstantSource.system());
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    for (Cairn c : List.of(a, b)) {
      c.collection(
          "shared",
          (ident, args, ctx) -> {
            calls.computeIfAbsent(ident, k -> new AtomicInteger()).incrementAndGet();
            return ident;
          });
    }
    List<String> idents =
        IntStream.range(0, 300).mapToObj(i -> "k" + i).collect(Collectors.toList());
    List<Future<?>> fs = new ArrayList<>();
    for (Cairn c : List.of(a, b)) {
      for (int t = 0; t < 3; t++) {
        fs.add(pool.submit(() -> idents.forEach(i -> c.fetch("shared", i))));
      }
    }
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(calls).hasSize(300);
    assertThat(calls.values()).allMatch(n -> n.get() == 1);
    assertThat(a.stats("shared").count(Status.COMPLETED)).isEqualTo(300);
    assertThat(a.stats("shared").count(Status.RUNNING)).isZero();
  }

  @Test
  void fetchWaitsForAnotherInstanceComputingInsteadOfComputingTwice() throws Exception {
    Cairn a = open(java.time.InstantSource.system());
    Cairn b = open(java.time.InstantSource.system());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    for (Cairn c : List.of(a, b)) {
      c.collection(
          "gate",
          (ident, args, ctx) -> {
            calls.incrementAndGet();
            entered.countDown();
            release.await();
            return "computed once";
          });
    }
    Future<Resource> first = pool.submit(() -> a.fetch("gate", "g"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Resource> second = pool.submit(() -> b.fetch("gate", "g"));
    assertThat(b.why("gate", "g").reason()).isEqualTo(Why.Reason.RUNNING);
    release.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS).result()).isEqualTo("computed once");
    assertThat(first.get(10, TimeUnit.SECONDS).result()).isEqualTo("computed once");
    assertThat(calls).hasValue(1);
  }

  @Test
  void expiredLeaseLetsAnotherInstanceTakeOverAndTheLateResultIsRefused() throws Exception {
    MutableClock clock = new MutableClock(1_000_000_000L);
    Cairn a = builder().clock(clock).leaseDuration(Duration.ofMinutes(10)).open();
    opened.add(a);
    Cairn b = open(clock);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    a.collection(
        "stuck",
        (ident, args, ctx) -> {
          entered.countDown();
          release.await();
          return "late";
        });
    b.collection("stuck", (ident, args, ctx) -> "takeover");
    Future<Resource> stuck = pool.submit(() -> a.fetch("stuck", "s"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofMinutes(11).toMillis()); // a stopped renewing as far as b can tell
    assertThat(b.why("stuck", "s").reason()).isEqualTo(Why.Reason.INTERRUPTED);
    Resource taken = b.fetch("stuck", "s");
    assertThat(taken.result()).isEqualTo("takeover");
    assertThat(taken.attempts()).isEqualTo(2);
    release.countDown();
    Resource late = stuck.get(10, TimeUnit.SECONDS);
    assertThat(late.result()).isEqualTo("takeover");
    assertThat(b.resource("stuck", "s").result()).isEqualTo("takeover");
  }

  @Test
  void fetchAllComputesEverythingAndReportsProgress() {
    Cairn cairn = open(java.time.InstantSource.system());
    AtomicInteger calls = new AtomicInteger();
    cairn.collection(
        "nums",
        (ident, args, ctx) -> {
          calls.incrementAndGet();
          int n = Integer.parseInt(ident);
          if (n % 100 == 0) {
            throw new IllegalArgumentException("multiple of 100: " + n);
          }
          return Map.of("n", n);
        });
    List<String> idents =
        IntStream.range(1, 5_001).mapToObj(Integer::toString).collect(Collectors.toList());
    List<FetchProgress> progress = new CopyOnWriteArrayList<>();
    FetchAllResult result = cairn.fetchAll("nums", idents, Map.of(), 4, progress::add);
    assertThat(result.requested()).isEqualTo(5_000);
    assertThat(result.computed()).isEqualTo(4_950);
    assertThat(result.failed()).isEqualTo(50);
    assertThat(result.cached()).isZero();
    assertThat(calls).hasValue(5_000);
    FetchProgress last = progress.get(progress.size() - 1);
    assertThat(last.done()).isEqualTo(5_000);
    assertThat(last.total()).isEqualTo(5_000);
    assertThat(progress).extracting(FetchProgress::done).isSorted();
    Stats stats = cairn.stats("nums");
    assertThat(stats.count(Status.COMPLETED)).isEqualTo(4_950);
    assertThat(stats.count(Status.ERROR)).isEqualTo(50);
    assertThat(stats.count(Status.RUNNING)).isZero();

    FetchAllResult again = cairn.fetchAll("nums", idents, Map.of(), 4);
    assertThat(again.cached()).isEqualTo(4_950);
    assertThat(again.failed()).isEqualTo(50); // retried, failing again
    assertThat(calls).hasValue(5_050);
  }

  @Test
  void fetchAllSkipsInvalidIdentsAndDuplicatesComputeOnce() {
    Cairn cairn = open(java.time.InstantSource.system());
    AtomicInteger calls = new AtomicInteger();
    cairn.collection("d", (ident, args, ctx) -> calls.incrementAndGet());
    List<String> idents = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      idents.add("k" + (i % 50));
    }
    idents.add("");
    idents.add("nul\0");
    FetchAllResult r = cairn.fetchAll("d", idents, Map.of(), 3);
    assertThat(calls).hasValue(50);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(r.invalid()).hasSize(2).anyMatch(m -> m.contains("empty"));
    assertThat(r.computed() + r.cached()).isEqualTo(200);
    assertThat(cairn.stats("d").count(Status.COMPLETED)).isEqualTo(50);
  }

  @Test
  void fetchAllTakesALazyIterable() {
    Cairn cairn = open(java.time.InstantSource.system());
    cairn.collection("lazy", (ident, args, ctx) -> ident.length());
    Iterable<String> lazy = () -> IntStream.range(0, 1_000).mapToObj(i -> "i" + i).iterator();
    List<FetchProgress> progress = new CopyOnWriteArrayList<>();
    FetchAllResult r = cairn.fetchAll("lazy", lazy, null, 2, progress::add);
    assertThat(r.computed()).isEqualTo(1_000);
    assertThat(progress.get(progress.size() - 1).total()).isEqualTo(-1);
  }
}
