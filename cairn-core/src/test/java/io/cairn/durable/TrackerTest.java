package io.cairn.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerTest {
  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  /**
   * How many of {@code n} items or rounds a load test here runs: all of them by default; a subclass
   * on a store with a network round trip per transaction runs fewer, to keep the suite fast.
   */
  int scaled(int n) {
    return n;
  }

  Cairn cairn;

  @BeforeEach
  void open() {
    cairn = builder().open();
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  static List<String> keys(int n) {
    return IntStream.range(0, n).mapToObj(i -> "k" + i).collect(Collectors.toList());
  }

  @Test
  void addingTwiceIsRefusedAndAddAllIsAllOrNothing() {
    ProgressTracker t = cairn.tracker("adds");
    t.add("a");
    assertThatThrownBy(() -> t.add("a"))
        .isInstanceOf(DuplicateKeyException.class)
        .hasMessageContaining("already has key 'a'");
    assertThat(t.addIfAbsent("a")).isFalse();
    assertThat(t.addIfAbsent("b", Map.of("url", "http://b"))).isTrue();
    assertThatThrownBy(() -> t.addAll(List.of("c", "d", "a")))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(t.contains("c")).isFalse();
    assertThat(t.addAllIfAbsent(List.of("c", "a", "d"))).isEqualTo(2);
    assertThat(t.size()).isEqualTo(4);
    assertThat(t.data("b")).isEqualTo(Map.of("url", "http://b"));
  }

  @Test
  void durableAddsAreStoredWhenTheyReturnAndWriteBehindAddsBySync() {
    try (Cairn other = builder().open()) {
      ProgressTracker durable = cairn.tracker("d", TrackerOptions.defaults().durable(true));
      assertThat(durable.addIfAbsent("a")).isTrue();
      durable.addAll(List.of("b", "c"));
      // A second store on the same home reads the database, not this process's memory.
      assertThat(other.stats("d").total()).isEqualTo(3);

      ProgressTracker behind = cairn.tracker("wb");
      assertThat(behind.addIfAbsent("a")).isTrue();
      assertThat(behind.addIfAbsent("a")).isFalse();
      assertThat(behind.addAllIfAbsent(List.of("a", "b", "c"))).isEqualTo(2);
      assertThatThrownBy(() -> behind.add("b")).isInstanceOf(DuplicateKeyException.class);
      behind.sync();
      assertThat(other.stats("wb").total()).isEqualTo(3);
    }
  }

  @Test
  void tryKeysHandsOutEveryKeyInOrderAndRecordsTheTryFirst() {
    ProgressTracker t = cairn.tracker("loop");
    t.addAll(keys(50));
    List<String> seen = new ArrayList<>();
    for (String k : t.tryKeys()) {
      assertThat(t.tries(k)).isEqualTo(1);
      assertThat(t.status(k)).isEqualTo(Status.RUNNING);
      seen.add(k);
      t.markDone(k);
    }
    assertThat(seen).containsExactlyElementsOf(keys(50));
    assertThat(t.numDone()).isEqualTo(50);
    assertThat(t.fractionDone()).isEqualTo(1.0);
    assertThat(t.tryKeys()).isEmpty();
    assertThat(cairn.stats("loop").count(Status.COMPLETED)).isEqualTo(50);
  }

  @Test
  void keysNotMarkedDoneAreTriedAgainUntilMaxTriesThenAborted() {
    ProgressTracker t = cairn.tracker("flaky", 2);
    t.addAll(List.of("good", "bad"));
    for (String k : t.tryKeys()) {
      if (k.equals("good")) {
        t.markDone(k);
      }
    }
    assertThat(t.status("bad")).isEqualTo(Status.ERROR);
    assertThat(t.tries("bad")).isEqualTo(1);
    assertThat(t.shouldTry("bad")).isTrue();
    List<String> second = new ArrayList<>();
    t.tryKeys().forEach(second::add);
    assertThat(second).containsExactly("bad");
    assertThat(t.status("bad")).isEqualTo(Status.ABORTED);
    assertThat(t.isAborted("bad")).isTrue();
    assertThat(t.shouldTry("bad")).isFalse();
    assertThat(t.tryKeys()).isEmpty();
    assertThat(t.abortedKeys()).containsExactly("bad");
    assertThat(t.numTried()).isEqualTo(2);
    assertThat(t.numAborted()).isEqualTo(1);
    assertThat(cairn.error("flaky", "bad"))
        .hasValueSatisfying(e -> assertThat(e).contains("not marked done"));
  }

  @Test
  void keysAddedDuringTheLoopAreReachedInTheSamePass() {
    ProgressTracker crawl = cairn.tracker("crawl", 3);
    crawl.addIfAbsent("page-0");
    List<String> visited = new ArrayList<>();
    for (String url : crawl.tryKeys()) {
      visited.add(url);
      int n = Integer.parseInt(url.substring(5));
      if (n < 30) {
        crawl.addAllIfAbsent(List.of("page-" + (2 * n + 1), "page-" + (2 * n + 2)));
      }
      crawl.markDone(url);
    }
    assertThat(visited).hasSize(61).doesNotHaveDuplicates();
    assertThat(crawl.numDone()).isEqualTo(61);
  }

  @Test
  void countersAndPercentagesNeverThrow() {
    ProgressTracker t = cairn.tracker("empty");
    assertThat(t.fractionDone()).isZero();
    assertThat(t.percentDone(2)).isEqualTo("0.00 %");
    t.addAll(List.of("a", "b", "c"));
    t.markDone("a");
    t.markDone("b");
    assertThat(t.percentDone(2)).isEqualTo("66.67 %");
    assertThat(t.percentDone(0)).isEqualTo("67 %");
    assertThatThrownBy(() -> t.percentDone(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statusOperationsFollowTastypy() {
    ProgressTracker t = cairn.tracker("ops");
    t.addAll(List.of("a", "b"));
    assertThat(t.isDone("missing")).isFalse();
    assertThat(t.shouldDo("a")).isTrue();
    t.markDone("a");
    assertThat(t.isDone("a")).isTrue();
    assertThat(t.shouldDo("a")).isFalse();
    assertThatThrownBy(() -> t.abort("a")).isInstanceOf(IllegalStateException.class);
    t.markNotDone("a");
    assertThat(t.status("a")).isEqualTo(Status.QUEUED);
    t.abort("b");
    assertThat(t.isAborted("b")).isTrue();
    assertThat(t.todoKeys()).containsExactly("a");
    t.unabort("b");
    assertThat(t.todoKeys()).containsExactly("a", "b");
    assertThat(t.incrementTries("b")).isEqualTo(1);
    assertThat(t.incrementTries("b")).isEqualTo(2);
    assertThat(t.decrementTries("b")).isEqualTo(1);
    t.resetTries("b");
    assertThat(t.tries("b")).isZero();
    assertThat(t.decrementTries("b")).isZero();
    t.update("b", Map.of("x", 1));
    t.update("b", Map.of("y", 2));
    assertThat(t.data("b")).isEqualTo(Map.of("x", 1, "y", 2));
    assertThatThrownBy(() -> t.markDone("missing"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("has no key 'missing'");
    assertThatThrownBy(() -> t.add("")).hasMessage("key must not be empty");
    assertThatThrownBy(() -> t.update("b", Map.of("bad", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be stored as JSON");
  }

  @Test
  void leavingTheLoopEarlyGivesBackTheKeysClaimedAhead() {
    ProgressTracker t = cairn.tracker("early");
    t.addAll(keys(2_000));
    int n = 0;
    try (TryKeys keys = t.tryKeys()) {
      for (String k : keys) {
        t.markDone(k);
        if (++n == 100) {
          break;
        }
      }
    }
    assertThat(t.numDone()).isEqualTo(100);
    assertThat(cairn.stats("early").count(Status.RUNNING)).isZero();
    assertThat(t.numTried()).isEqualTo(100);
    assertThat(t.todoKeys()).hasSize(1_900);
  }

  @Test
  void twoLoopsInParallelNeverGetTheSameKey() throws Exception {
    ProgressTracker t = cairn.tracker("parallel");
    int n = scaled(10_000);
    t.addAll(keys(n));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<String> all = Collections.synchronizedList(new ArrayList<>());
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        fs.add(
            pool.submit(
                () -> {
                  for (String k : t.tryKeys()) {
                    all.add(k);
                    t.markDone(k);
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> distinct = new HashSet<>(all);
    assertThat(all).hasSize(n);
    assertThat(distinct).hasSize(n);
    assertThat(t.numDone()).isEqualTo(n);
  }

  @Test
  void doneMarksInsideTheLoopAreDurableAfterSyncOrClose() {
    ProgressTracker t = cairn.tracker("behind");
    t.addAll(keys(10));
    var it = t.tryKeys().iterator();
    String first = it.next();
    t.markDone(first);
    t.sync();
    try (Cairn other = builder().open()) {
      assertThat(other.status("behind", first)).isEqualTo(Status.COMPLETED);
    }
    t.close();
    try (Cairn other = builder().open()) {
      assertThat(other.stats("behind").count(Status.RUNNING)).isZero();
      assertThat(other.stats("behind").count(Status.COMPLETED)).isEqualTo(1);
    }
  }

  @Test
  void trackersAndCollectionsDoNotShareNames() {
    cairn.tracker("name-a");
    assertThatThrownBy(() -> cairn.collection("name-a", (i, a, c) -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("progress tracker");
    cairn.collection("name-b", (i, a, c) -> 1);
    assertThatThrownBy(() -> cairn.tracker("name-b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collection");
    assertThat(cairn.tracker("name-a")).isSameAs(cairn.tracker("name-a"));
  }

  @Test
  void concurrentSyncsLeaveTheLastChangeStored() throws Exception {
    ProgressTracker t = cairn.tracker("order");
    t.add("k");
    Iterator<String> it = t.tryKeys().iterator();
    String k = it.next(); // handed out: its updates are write-behind, flushed by any sync
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> syncers = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        syncers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    t.sync();
                  }
                }));
      }
      int rounds = scaled(2_000);
      for (int i = 1; i <= rounds; i++) {
        t.update(k, Map.of("n", i));
        if (i % 2 == 0) {
          t.update(k, Map.of("n", -i)); // two pending changes, so a drain can split them
          t.update(k, Map.of("n", i));
        }
        // data() syncs first: when that returns, every change made before is stored, whatever
        // the other threads' syncs drained.
        assertThat(t.data(k)).as("after change %d", i).containsEntry("n", i);
      }
      stop.set(true);
      for (Future<?> f : syncers) {
        f.get();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    t.markDone(k);
    t.sync();
    try (Cairn other = builder().open()) {
      assertThat(other.tracker("order").data(k)).containsEntry("n", scaled(2_000));
      assertThat(other.tracker("order").isDone(k)).isTrue();
    }
  }

  @Test
  void updateOfAMissingKeyAddsItThenMerges() {
    ProgressTracker t = cairn.tracker("upd");
    t.update("new", Map.of("url", "http://x"));
    assertThat(t.contains("new")).isTrue();
    assertThat(t.status("new")).isEqualTo(Status.QUEUED);
    assertThat(t.tries("new")).isZero();
    assertThat(t.isDone("new")).isFalse();
    assertThat(t.data("new")).isEqualTo(Map.of("url", "http://x"));
    t.update("new", Map.of("size", 3));
    assertThat(t.data("new")).isEqualTo(Map.of("url", "http://x", "size", 3));
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.todoKeys()).containsExactly("new");
    assertThatThrownBy(() -> t.update("", Map.of("a", 1))).hasMessage("key must not be empty");
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void keysTriedMaxTriesTimesAreNoLongerToDo() {
    ProgressTracker t = cairn.tracker("capped", 2);
    t.addAll(List.of("a", "b", "c"));
    t.incrementTries("a");
    t.incrementTries("a"); // tried twice with maxTries 2, though still QUEUED
    t.incrementTries("b");
    assertThat(t.status("a")).isEqualTo(Status.QUEUED);
    assertThat(t.shouldDo("a")).isFalse();
    assertThat(t.shouldTry("a")).isFalse();
    assertThat(t.shouldDo("b")).isTrue();
    assertThat(t.todoKeys()).containsExactly("b", "c");
    List<String> tried = new ArrayList<>();
    for (String k : t.tryKeys()) {
      tried.add(k);
      if (k.equals("b")) {
        // its second and last try is running: no longer to do, as in tastypy
        assertThat(t.shouldDo("b")).isFalse();
        assertThat(t.todoKeys()).containsExactly("c");
      } else {
        t.markDone(k);
      }
    }
    assertThat(tried).as("tryKeys agrees with todoKeys").containsExactly("b", "c");
    assertThat(t.todoKeys()).isEmpty();
    assertThat(t.tryKeys()).isEmpty();
    assertThat(t.status("b")).isEqualTo(Status.ABORTED);
    t.resetTries("a");
    assertThat(t.todoKeys()).containsExactly("a");
    assertThat(t.shouldDo("a")).isTrue();
    ProgressTracker unlimited = cairn.tracker("unlimited");
    unlimited.add("x");
    unlimited.incrementTries("x");
    unlimited.incrementTries("x");
    assertThat(unlimited.todoKeys()).containsExactly("x");
    assertThat(unlimited.shouldDo("x")).isTrue();
  }
}
