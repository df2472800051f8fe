package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn check}, and how read commands report a damaged home. */
class CheckCommandTest {
  @TempDir Path home;

  @BeforeEach
  void fill() {
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection(
          "echo",
          (ident, args, ctx) -> {
            ctx.log().info("echo {}", ident);
            return Map.of("ident", ident);
          });
      cairn.fetchAll("echo", List.of("a", "b", "c", "d"), Map.of(), 2);
      cairn.map("m").put("k", List.of(1, 2));
      cairn.map("m").sync();
    }
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.executeUpdate(s);
      }
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.walk(home)) {
      return files.map(p -> home.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aHealthyHomeIsOkAndNothingIsChanged() throws IOException {
    List<String> before = listing();
    byte[] db = Files.readAllBytes(home.resolve("cairn.db"));
    CliRun r = cairn(home, "check");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("ok: 1 collections, 4 resources checked\n");
    CliRun j = cairn(home, "check", "--json");
    assertThat(j.code()).isZero();
    assertThat(j.json().get("ok").asBoolean()).isTrue();
    assertThat(j.json().get("resources").asLong()).isEqualTo(4);
    assertThat(j.json().get("maps").asInt()).isEqualTo(1);
    assertThat(j.json().get("violations")).isEmpty();
    assertThat(listing()).isEqualTo(before);
    assertThat(Files.readAllBytes(home.resolve("cairn.db"))).isEqualTo(db);
  }

  @Test
  void aHomeCorruptedOnPurposeHasEachViolationNamedOnOneLine() throws Exception {
    int completed = Status.COMPLETED.ordinal();
    int running = Status.RUNNING.ordinal();
    sql(
        // a count row changed
        "UPDATE status_counts SET n = n + 5 WHERE status = " + completed,
        // a RUNNING row without owner, its counts kept consistent so only that is wrong
        "UPDATE resources SET status = " + running + ", owner = NULL WHERE key = 'b'",
        "UPDATE status_counts SET n = n - 1 WHERE status = " + completed,
        "INSERT INTO status_counts (collection_id, status, n) SELECT collection_id, "
            + running
            + ", 1 FROM resources WHERE key = 'b'"
            + " ON CONFLICT (collection_id, status) DO UPDATE SET n = n + 1",
        // a result that is not JSON
        "UPDATE resources SET result = '{\"ident\": \"c' WHERE key = 'c'",
        // a map whose size drifted
        "UPDATE maps SET size = 3");
    CliRun r = cairn(home, "check");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines())
        .hasSize(4)
        .contains("count drift: collection 'echo' COMPLETED: maintained 8, rows 3")
        .contains("running without an owner: echo/'b'")
        .contains("count drift: map 'm' size: maintained 3, rows 1")
        .anySatisfy(l -> assertThat(l).startsWith("unreadable result: echo/'c': not valid JSON"));
    assertThat(r.errLines()).containsExactly("4 problems in " + home.toAbsolutePath().normalize());
    CliRun j = cairn(home, "check", "--json");
    assertThat(j.code()).isEqualTo(1);
    assertThat(j.json().get("ok").asBoolean()).isFalse();
    assertThat(j.json().get("violations")).hasSize(4);
  }

  @Test
  void showOfAResultThatCannotBeReadIsACorruptDataFailureNotBadInput() throws Exception {
    sql("UPDATE resources SET result = 'not json' WHERE key = 'c'");
    CliRun r = cairn(home, "show", "echo", "c");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("cairn: corrupt data: echo/c: not valid JSON")
        .endsWith("check lists every damaged value)");
    assertThat(cairn(home, "show", "echo", "a").code()).isZero();
  }

  @Test
  void aUsedHomeThatLostItsDatabaseIsRefusedByReadCommandsAndCheck() throws IOException {
    Files.delete(home.resolve("cairn.db"));
    Files.deleteIfExists(home.resolve("cairn.db-wal"));
    Files.deleteIfExists(home.resolve("cairn.db-shm"));
    for (String[] command : List.of(new String[] {"status"}, new String[] {"check"})) {
      CliRun r = cairn(home, command);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.errLines())
          .singleElement()
          .asString()
          .contains("was used (it has resources/, blobs/)")
          .contains("cairn.db is missing");
    }
    Files.write(home.resolve("cairn.db"), new byte[0]);
    CliRun r = cairn(home, "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cairn.db is empty (0 bytes)");
    assertThat(Files.size(home.resolve("cairn.db"))).isZero();
  }

  @Test
  void checkOfADirectoryWithoutAHomeSaysSoAndCreatesNothing(@TempDir Path nowhere) {
    CliRun r = cairn(nowhere.resolve("none"), "check");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("cairn: no Cairn home at");
    assertThat(nowhere.resolve("none")).doesNotExist();
  }
}
