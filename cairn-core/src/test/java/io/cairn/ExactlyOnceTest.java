package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.collection.FetchAllResult;
import io.cairn.durable.ProgressTracker;
import io.cairn.durable.TrackerOptions;
import io.cairn.durable.TryKeys;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.StreamRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once while everyone is alive, with the schedules that used to break it: items slower than
 * the lease, work claimed ahead, two engines on one home.
 */
class ExactlyOnceTest {
  static final Duration LEASE = Duration.ofMillis(300);

  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  /** The state store the Cairns of {@link #builder} share, opened on its own. */
  io.cairn.spi.StateStore stateStore() {
    return io.cairn.spi.StateStores.sqlite(home.resolve("cairn.db"));
  }

  @TempDir Path data;

  Cairn open() {
    return builder().leaseDuration(LEASE).open();
  }

  /** 5 ms per item, and every 25th item slower than the lease. */
  static void work(int i) throws InterruptedException {
    Thread.sleep(i % 25 == 0 ? LEASE.toMillis() + 150 : 5);
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> List<T> both(Function<Integer, T> side) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<T> a = pool.submit(() -> side.apply(0));
      Future<T> b = pool.submit(() -> side.apply(1));
      return List.of(a.get(120, TimeUnit.SECONDS), b.get(120, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  static void assertOnce(Map<String, AtomicInteger> runs, int n) {
    assertThat(runs).hasSize(n);
    List<String> twice = new ArrayList<>();
    runs.forEach((k, c) -> (c.get() == 1 ? new ArrayList<String>() : twice).add(k + "x" + c));
    assertThat(twice).as("items computed more than once").isEmpty();
  }

  @Test
  void twoEnginesFetchingAllOfTheSameIdentsComputeEachOnceWithItemsSlowerThanTheLease()
      throws Exception {
    int n = 400;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<String> idents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      idents.add("k" + i);
    }
    try (Cairn a = open();
        Cairn b = open()) {
      for (Cairn c : List.of(a, b)) {
        c.collection(
            "slow",
            (ident, args, ctx) -> {
              runs.computeIfAbsent(ident, k -> new AtomicInteger()).incrementAndGet();
              work(Integer.parseInt(ident.substring(1)));
              return ident;
            });
      }
      List<FetchAllResult> results =
          both(side -> (side == 0 ? a : b).fetchAll("slow", idents, Map.of(), 4, p -> {}));
      assertOnce(runs, n);
      assertThat(results.get(0).computed() + results.get(1).computed()).isEqualTo(n);
      assertThat(a.stats("slow").count(Status.COMPLETED)).isEqualTo(n);
      assertThat(a.stats("slow").count(Status.RUNNING)).isZero();
    }
  }

  @Test
  void twoPipelineRunnersWithJobsSlowerThanTheLeaseRunEachJobOnce() throws Exception {
    int n = 20;
    StreamRepository in = Repositories.files(data.resolve("in"), ".txt");
    for (int i = 0; i < n; i++) {
      in.write("j" + i, ("x" + i).getBytes(StandardCharsets.UTF_8));
    }
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Pipeline p =
        Pipeline.builder("slowjobs")
            .task(
                PipelineTask.java(
                        "work",
                        (job, ctx) -> {
                          runs.computeIfAbsent(job.key(), k -> new AtomicInteger())
                              .incrementAndGet();
                          Thread.sleep(LEASE.toMillis() + 100);
                          ctx.link("out", StreamRepository.class)
                              .write(job.key(), "done".getBytes(StandardCharsets.UTF_8));
                          return 1;
                        })
                    .input("in", in)
                    .output("out", Repositories.files(data.resolve("out"), ".txt")))
            .build();
    RunOptions options = RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20));
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunOptions noting =
        options.withListener(
            new io.cairn.pipeline.RunListener() {
              @Override
              public void onProgress(List<io.cairn.pipeline.TaskProgress> tasks) {}

              @Override
              public void onNote(String line) {
                notes.add(line);
              }
            });
    try (Cairn a = open();
        Cairn b = open()) {
      both(
          side -> {
            if (side == 1) {
              // B starts once the leases of the jobs A claimed ahead would have expired, had
              // nobody renewed them while they waited in A's queue.
              sleepQuietly(LEASE.toMillis() + 100);
            }
            return (side == 0 ? a : b).pipeline(p).run(noting);
          });
      assertOnce(runs, n);
      // One of them (usually B) found jobs the other held, and waited for them instead of ending.
      assertThat(notes)
          .anySatisfy(l -> assertThat(l).contains("held by runner").endsWith(", waiting"));
      assertThat(a.stats("slowjobs.work").count(Status.COMPLETED)).isEqualTo(n);
      assertThat(a.stats("slowjobs.work").count(Status.RUNNING)).isZero();
    }
  }

  @Test
  void twoTrackerLoopsTryEachKeyOnceWithKeysSlowerThanTheLease() throws Exception {
    int n = 150;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (Cairn a = open();
        Cairn b = open()) {
      ProgressTracker ta = a.tracker("crawl", TrackerOptions.defaults().maxTries(3));
      ProgressTracker tb = b.tracker("crawl", TrackerOptions.defaults().maxTries(3));
      for (int i = 0; i < n; i++) {
        ta.add("u" + i);
      }
      ta.sync();
      both(
          side -> {
            ProgressTracker t = side == 0 ? ta : tb;
            try (TryKeys keys = t.tryKeys()) {
              for (String k : keys) {
                runs.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                work(Integer.parseInt(k.substring(1)));
                t.markDone(k);
              }
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            t.sync();
            return side;
          });
      assertOnce(runs, n);
      assertThat(a.stats("crawl").count(Status.COMPLETED)).isEqualTo(n);
      assertThat(a.stats("crawl").count(Status.RUNNING)).isZero();
    }
  }

  @Test
  void anAttemptThatLosesItsLeaseIsInterruptedAndWritesNothing() throws Exception {
    // B's clock runs an hour ahead, so it judges A's lease expired and takes the resource over
    // while A is still computing it: A's next renewal is refused, which must cancel A's attempt.
    InstantSource ahead =
        () -> Instant.ofEpochMilli(System.currentTimeMillis() + Duration.ofHours(1).toMillis());
    CountDownLatch aStarted = new CountDownLatch(1);
    AtomicBoolean aInterrupted = new AtomicBoolean();
    try (Cairn a = open();
        Cairn b = builder().leaseDuration(LEASE).clock(ahead).open()) {
      a.collection(
          "c",
          (ident, args, ctx) -> {
            aStarted.countDown();
            try {
              Thread.sleep(30_000);
            } catch (InterruptedException e) {
              aInterrupted.set(true);
              throw e;
            }
            return "from a";
          });
      b.collection("c", (ident, args, ctx) -> "from b");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Resource> fromA = pool.submit(() -> a.fetch("c", "k"));
        assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Resource byB = b.fetch("c", "k");
        assertThat(byB.result()).isEqualTo("from b");
        long t0 = System.nanoTime();
        Resource seenByA = fromA.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(aInterrupted).isTrue();
        assertThat(seenByA.result()).isEqualTo("from b");
        Resource stored = a.resource("c", "k");
        assertThat(stored.status()).isEqualTo(Status.COMPLETED);
        assertThat(stored.result()).isEqualTo("from b");
        assertThat(stored.attempts()).isEqualTo(2);
        assertThat(a.log("c", "k")).contains("cancelled: the lease was lost");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anIdentRecomputedAfterAnotherHostsLeaseExpiredCountsAsComputedNotCached() throws Exception {
    // Another host holds "k" under a short lease that nobody renews (that host died); fetchAll
    // finds it busy, waits for the lease to expire, then computes it itself.
    try (io.cairn.spi.StateStore store = stateStore()) {
      long now = System.currentTimeMillis();
      store.registerCollection("c", "");
      store.apply(
          List.of(
              new io.cairn.internal.engine.Changes.Claim(
                  "c", "k", "elsewhere.example:1:1:x", now, now + 400, "{}", null, false)));
    }
    try (Cairn cairn = open()) {
      cairn.collection("c", (ident, args, ctx) -> "computed " + ident);
      FetchAllResult r = cairn.fetchAll("c", List.of("k", "other"), Map.of(), 1, p -> {});
      assertThat(r.computed()).isEqualTo(2);
      assertThat(r.cached()).isZero();
      assertThat(cairn.resource("c", "k").attempts()).isEqualTo(2);
      assertThat(cairn.resource("c", "k").result()).isEqualTo("computed k");
    }
  }
}
