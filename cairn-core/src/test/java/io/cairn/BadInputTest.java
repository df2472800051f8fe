package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.collection.FetchAllResult;
import io.cairn.durable.DurableMap;
import io.cairn.durable.ProgressTracker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that is not what Cairn can store is refused where it enters, and never drifts counts. */
class BadInputTest {
  /** What truncating "x😀y" after its first surrogate gives. */
  static final String LONE = "x\uD800y";

  @TempDir Path home;
  Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
    cairn.collection("echo", (ident, args, ctx) -> Map.of("ident", ident));
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  @Test
  void anIdentWithALoneSurrogateIsRefusedNamingThePositionAndCountsStayEqualToTheRows()
      throws Exception {
    assertThatThrownBy(() -> cairn.fetch("echo", LONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ident 'x\\uD800y' is not valid Unicode: lone surrogate \\uD800 at index 1 (a string"
                + " cut inside an emoji?); pass whole characters");
    assertThatThrownBy(() -> cairn.resource("echo", "ab\uDC00")).hasMessageContaining("index 2");
    // The valid ident SQLite would have confused it with is not poisoned.
    assertThat(cairn.fetch("echo", "x?y").result()).isEqualTo(Map.of("ident", "x?y"));
    assertThat(cairn.fetch("echo", "x😀y").status()).isEqualTo(Status.COMPLETED);
    cairn.close();
    cairn = Cairn.open(home);
    assertThat(cairn.stats("echo").counts()).isEqualTo(new Stats(countRows("echo")).counts());
    assertThat(cairn.stats("echo").count(Status.COMPLETED)).isEqualTo(2);
    assertThat(cairn.stats("echo").count(Status.RUNNING)).isZero();
  }

  @Test
  void fetchAllSkipsAnIdentWithALoneSurrogateAsInvalid() throws Exception {
    FetchAllResult r = cairn.fetchAll("echo", List.of("a", LONE, "x?y", "b"), Map.of(), 2);
    assertThat(r.computed()).isEqualTo(3);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.invalid())
        .singleElement()
        .asString()
        .contains("lone surrogate \\uD800 at index 1");
    cairn.close();
    cairn = Cairn.open(home);
    assertThat(cairn.stats("echo").counts()).isEqualTo(new Stats(countRows("echo")).counts());
    assertThat(cairn.stats("echo").total()).isEqualTo(3);
  }

  @Test
  void mapAndTrackerKeysAndNamesMustBeValidUnicode() {
    DurableMap<Object> m = cairn.map("m");
    assertThatThrownBy(() -> m.put(LONE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key 'x\\uD800y' is not valid Unicode")
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> m.put("k", List.of("ok", LONE)))
        .hasMessageStartingWith("map 'm': [1]: string is not valid Unicode");
    assertThat(m).isEmpty();
    ProgressTracker t = cairn.tracker("t");
    assertThatThrownBy(() -> t.add("\uDBFF"))
        .hasMessageStartingWith("key '\\uDBFF' is not valid Unicode")
        .hasMessageContaining("index 0");
    assertThat(t.size()).isZero();
    assertThatThrownBy(() -> cairn.map("m\uD800"))
        .hasMessageStartingWith("invalid map name 'm\\uD800' (character \\uD800 at index 1");
    assertThatThrownBy(() -> cairn.collection("c\u0000", (i, a, c) -> 1))
        .hasMessageContaining("character \\u0000 at index 1");
  }

  @Test
  void aResultHoldingABeanIsAnErrorNamingThePath() {
    cairn.collection("beans", (ident, args, ctx) -> Map.of("worker", Thread.currentThread()));
    Resource r = cairn.fetch("beans", "1");
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.error())
        .startsWith("result not stored: ")
        .contains("result.worker: java.lang.Thread is not a JSON value");
    assertThat(r.result()).isNull();
  }

  @Test
  void notANumberIsAnErrorNotTheStringNaN() {
    cairn.collection("ratio", (ident, args, ctx) -> Map.of("ratio", 0.0 / 0.0));
    Resource r = cairn.fetch("ratio", "1");
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.error()).contains("ratio: NaN is not a JSON number");
  }

  @Test
  void argumentsFollowTheSameRule() {
    assertThatThrownBy(() -> cairn.fetch("echo", "1", Map.of("limit", Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fetch arguments: limit: Infinity is not a JSON number");
    assertThatThrownBy(() -> cairn.fetch("echo", "1", Map.of("t", Thread.currentThread())))
        .hasMessageStartingWith("fetch arguments: t: java.lang.Thread is not a JSON value");
    assertThat(cairn.status("echo", "1")).isEqualTo(Status.UNAVAILABLE);
  }

  enum Size {
    SMALL
  }

  record Reading(String sensor, double value, Optional<String> note) {}

  @Test
  void optionalsRecordsEnumsAndTimesAreStoredAsJson() {
    Instant at = Instant.parse("2024-01-02T03:04:05Z");
    cairn.collection(
        "rich",
        (ident, args, ctx) ->
            Map.of(
                "reading",
                new Reading("s1", 2.5, Optional.empty()),
                "size",
                Size.SMALL,
                "at",
                at,
                "maybe",
                Optional.of(List.of(1, 2))));
    Resource r = cairn.fetch("rich", "1");
    assertThat(r.status()).isEqualTo(Status.COMPLETED);
    Map<String, Object> reading = new java.util.HashMap<>();
    reading.put("sensor", "s1");
    reading.put("value", 2.5);
    reading.put("note", null);
    assertThat(r.result())
        .isEqualTo(
            Map.of(
                "reading",
                reading,
                "size",
                "SMALL",
                "at",
                "2024-01-02T03:04:05Z",
                "maybe",
                List.of(1, 2)));
  }

  @Test
  void aStoredResultThatIsNotJsonIsReportedAsCorruptData() throws Exception {
    cairn.fetch("echo", "1");
    cairn.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE resources SET result = '{\"ident\": ' WHERE key = '1'");
    }
    cairn = Cairn.open(home);
    assertThatThrownBy(() -> cairn.resource("echo", "1"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith("not valid JSON");
  }

  @Test
  void theMaximumResultSizeIsValidated() {
    assertThatThrownBy(() -> Cairn.builder().maxResultSize(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "max result size must be between 1 KiB (1024) and 512 MiB (536870912) bytes, got 1023");
    assertThatThrownBy(() -> Cairn.builder().maxResultSize((512L << 20) + 1))
        .hasMessageContaining("got 536870913");
    assertThat(Cairn.builder().maxResultSize(1024)).isNotNull();
  }

  private Map<Status, Long> countRows(String collection) throws Exception {
    Map<Status, Long> rows = new EnumMap<>(Status.class);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("cairn.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT r.status, COUNT(*) FROM resources r JOIN collections c"
                    + " ON c.id = r.collection_id WHERE c.name = '"
                    + collection
                    + "' GROUP BY r.status")) {
      while (rs.next()) {
        rows.put(Status.values()[rs.getInt(1)], rs.getLong(2));
      }
    }
    return rows;
  }

  @Test
  void aResultOverTheMaximumSizeIsAnErrorStatingTheLimitAndTheNextFetchCanStillReadEverything()
      throws Exception {
    try (Cairn small = Cairn.builder().home(home.resolve("small")).maxResultSize(4096).open()) {
      small.collection("big", (ident, args, ctx) -> "x".repeat(Integer.parseInt(ident)));
      Resource fits = small.fetch("big", "4000");
      assertThat(fits.status()).isEqualTo(Status.COMPLETED);
      Resource over = small.fetch("big", "5000");
      assertThat(over.status()).isEqualTo(Status.ERROR);
      assertThat(over.error())
          .contains("result not stored: result is over the limit of")
          .contains("4,096 bytes")
          .contains("ctx.storage()");
      assertThat(small.resource("big", "4000").result()).isEqualTo("x".repeat(4000));
    }
    // Over Jackson's default 20,000,000-character string limit, which used to be stored COMPLETED
    // and then failed every fetch: now over the default limit of 16 MiB, and refused clearly.
    cairn.collection("huge", (ident, args, ctx) -> "y".repeat(20_000_001));
    Resource huge = cairn.fetch("huge", "a");
    assertThat(huge.status()).isEqualTo(Status.ERROR);
    assertThat(huge.error()).contains("over the limit of 16 MiB");
  }
}
