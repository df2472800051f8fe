package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchTest {
  @TempDir Path home;
  Cairn cairn;
  final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
    cairn.collection(
        "squares",
        (ident, args, ctx) -> {
          calls.incrementAndGet();
          int n = Integer.parseInt(ident);
          int offset = ((Number) args.getOrDefault("offset", 0)).intValue();
          return Map.of("square", n * n + offset);
        });
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  @Test
  void fetchComputesOnceThenReturnsTheStoredResult() {
    Resource first = cairn.fetch("squares", "7");
    assertThat(first.status()).isEqualTo(Status.COMPLETED);
    assertThat(first.result()).isEqualTo(Map.of("square", 49));
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.startTime()).isPositive();
    assertThat(first.endTime()).isGreaterThanOrEqualTo(first.startTime());
    Resource again = cairn.fetch("squares", "7");
    assertThat(again.result()).isEqualTo(Map.of("square", 49));
    assertThat(calls).hasValue(1);
    assertThat(cairn.why("squares", "7").reason()).isEqualTo(Why.Reason.UP_TO_DATE);
  }

  @Test
  void resultSurvivesReopening() {
    cairn.fetch("squares", "3");
    cairn.close();
    cairn = Cairn.open(home);
    Resource r = cairn.resource("squares", "3");
    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.result()).isEqualTo(Map.of("square", 9));
  }

  @Test
  void changedArgumentsRecomputeAndWhySaysSo() {
    cairn.fetch("squares", "2");
    assertThat(cairn.why("squares", "2", Map.of("offset", 1)).reason())
        .isEqualTo(Why.Reason.ARGS_CHANGED);
    assertThat(cairn.why("squares", "2", Map.of("offset", 1)).wouldCompute()).isTrue();
    Resource r = cairn.fetch("squares", "2", Map.of("offset", 1));
    assertThat(r.result()).isEqualTo(Map.of("square", 5));
    assertThat(r.args()).isEqualTo(Map.of("offset", 1));
    assertThat(calls).hasValue(2);
    cairn.fetch("squares", "2", Map.of("offset", 1));
    assertThat(calls).hasValue(2);
  }

  @Test
  void argumentOrderDoesNotChangeTheFingerprint() {
    cairn.fetch("squares", "4", new java.util.TreeMap<>(Map.of("a", 1, "b", 2)));
    java.util.LinkedHashMap<String, Object> reversed = new java.util.LinkedHashMap<>();
    reversed.put("b", 2);
    reversed.put("a", 1);
    cairn.fetch("squares", "4", reversed);
    assertThat(calls).hasValue(1);
  }

  @Test
  void newVersionMakesCompletedResourcesStale() {
    cairn.fetch("squares", "5");
    cairn.close();
    cairn = Cairn.open(home);
    cairn.collection("squares", "2", (ident, args, ctx) -> Map.of("v", 2));
    assertThat(cairn.why("squares", "5").reason()).isEqualTo(Why.Reason.VERSION_CHANGED);
    assertThat(cairn.fetch("squares", "5").result()).isEqualTo(Map.of("v", 2));
    assertThat(cairn.why("squares", "5").reason()).isEqualTo(Why.Reason.UP_TO_DATE);
  }

  @Test
  void recomputeRunsTheFunctionEvenWhenUpToDate() {
    cairn.fetch("squares", "6");
    Resource r = cairn.fetch("squares", "6", Map.of(), true);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void neverComputedResourceIsUnavailable() {
    assertThat(cairn.status("squares", "nope")).isEqualTo(Status.UNAVAILABLE);
    assertThat(cairn.why("squares", "nope").reason()).isEqualTo(Why.Reason.NEVER_COMPUTED);
    assertThat(cairn.error("squares", "nope")).isEmpty();
    assertThat(cairn.log("squares", "nope")).isEmpty();
  }

  @Test
  void recordsAndListsAreStoredAsJson() {
    record Point(int x, int y) {}
    cairn.collection("points", (ident, args, ctx) -> List.of(new Point(1, 2), new Point(3, 4)));
    Resource r = cairn.fetch("points", "p");
    assertThat(r.result()).isEqualTo(List.of(Map.of("x", 1, "y", 2), Map.of("x", 3, "y", 4)));
  }

  @Test
  void statsAndIdsByStatusFollowFetches() {
    cairn.collection(
        "odd",
        (ident, args, ctx) -> {
          if (Integer.parseInt(ident) % 2 == 0) {
            throw new IllegalStateException("even: " + ident);
          }
          return ident;
        });
    for (int i = 1; i <= 25; i++) {
      cairn.fetch("odd", Integer.toString(i));
    }
    Stats stats = cairn.stats("odd");
    assertThat(stats.count(Status.COMPLETED)).isEqualTo(13);
    assertThat(stats.count(Status.ERROR)).isEqualTo(12);
    assertThat(stats.total()).isEqualTo(25);
    assertThat(cairn.idsByStatus("odd", Status.ERROR))
        .containsExactly("2", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24");
    Page<String> page = cairn.idsByStatus("odd", Status.COMPLETED, null, 5);
    assertThat(page.items()).containsExactly("1", "3", "5", "7", "9");
    Page<String> next = cairn.idsByStatus("odd", Status.COMPLETED, page.nextCursor(), 5);
    assertThat(next.items()).containsExactly("11", "13", "15", "17", "19");
    assertThat(cairn.streamIdsByStatus("odd", Status.COMPLETED).count()).isEqualTo(13);
    assertThat(cairn.stats()).containsKeys("odd", "squares");
    assertThat(cairn.collections()).containsExactly("odd", "squares");
  }

  @Test
  void resetMakesErrorsQueuedAndTheNextFetchComputesThem() {
    AtomicInteger attempts = new AtomicInteger();
    cairn.collection(
        "flaky",
        (ident, args, ctx) -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("first try fails");
          }
          return "ok";
        });
    assertThat(cairn.fetch("flaky", "x").status()).isEqualTo(Status.ERROR);
    assertThat(cairn.reset("flaky", Status.ERROR)).isEqualTo(1);
    assertThat(cairn.status("flaky", "x")).isEqualTo(Status.QUEUED);
    assertThat(cairn.why("flaky", "x").reason()).isEqualTo(Why.Reason.QUEUED);
    Resource r = cairn.fetch("flaky", "x");
    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    assertThat(r.attempts()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void unknownCollectionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> cairn.fetch("nope", "1"))
        .isInstanceOf(UnknownCollectionException.class)
        .hasMessage("unknown collection 'nope'; known: squares");
    assertThatThrownBy(() -> cairn.stats("nope")).isInstanceOf(UnknownCollectionException.class);
  }

  @Test
  void registeringANameTwiceIsRefused() {
    assertThatThrownBy(() -> cairn.collection("squares", (i, a, c) -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already registered");
  }

  @Test
  void badCollectionNamesAreRefusedWithTheRule() {
    for (String bad : new String[] {"", "a/b", "..", "-x", "x".repeat(129), "sp ace"}) {
      assertThatThrownBy(() -> cairn.collection(bad, (i, a, c) -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid collection name")
          .hasMessageContaining("letters, digits");
    }
  }

  @Test
  void emptyAndNulIdentsAreRefusedClearly() {
    assertThatThrownBy(() -> cairn.fetch("squares", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ident must not be empty");
    assertThatThrownBy(() -> cairn.fetch("squares", "a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
    assertThat(calls).hasValue(0);
  }

  @Test
  void argumentsThatAreNotJsonAreRefusedBeforeComputing() {
    assertThatThrownBy(() -> cairn.fetch("squares", "1", Map.of("thread", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fetch arguments")
        .hasMessageContaining("cannot be stored as JSON");
    assertThat(calls).hasValue(0);
  }

  @Test
  void homeThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(home.resolve("a-file"), "x");
    assertThatThrownBy(() -> Cairn.open(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a file, not a directory");
  }

  @Test
  void builderRefusesAnAbsurdLease() {
    assertThatThrownBy(() -> Cairn.builder().leaseDuration(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease duration");
  }
}
