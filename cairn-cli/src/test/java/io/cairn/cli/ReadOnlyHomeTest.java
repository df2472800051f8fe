package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.testkit.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read command leaves the home's files, directories, sizes and modification times exactly as
 * they were: with no process holding the home open, and while a writer process does.
 */
class ReadOnlyHomeTest {
  @TempDir static Path home;
  @TempDir static Path dir;
  static String f;

  @TempDir Path other;

  @BeforeAll
  static void aHomeWithCollectionsAMapAndAPipeline() {
    WordCountFixture.fill(home, 50);
    try (Cairn cairn = Cairn.open(home)) {
      cairn.map("settings").put("depth", 3);
      cairn.map("settings").sync();
    }
    f = ChainPipeline.write(dir, "a", "b").file.toString();
    assertThat(cairn(home, "run", "-f", f).code()).isEqualTo(1); // its step 3 is broken
  }

  private static List<List<String>> readCommands() {
    return List.of(
        List.of("status"),
        List.of("status", "--json"),
        List.of("status", "wordcount"),
        List.of("ls", "wordcount", "--status", "completed", "--limit", "5"),
        List.of("show", "wordcount", "doc-00001"),
        List.of("show", "wordcount", "doc-00001", "--json"),
        List.of("log", "wordcount", "doc-00001"),
        List.of("error", "wordcount", WordCountFixture.FAILING_1),
        List.of("why", "wordcount", "doc-00001"),
        List.of("map", "ls"),
        List.of("check"),
        List.of("status", "-f", f),
        List.of("graph", "-f", f),
        List.of("trace", "-f", f, "a"),
        List.of("ls", "-f", f, "s1.dst"));
  }

  /** Runs every read command, each of which must succeed and leave the tree as it was. */
  private static void everyReadCommandLeavesTheTreeAsItWas() {
    Map<String, String> before = tree(home);
    for (List<String> command : readCommands()) {
      CliRun r = cairn(home, command.toArray(String[]::new));
      assertThat(r.code()).as(command + ": " + r.err()).isZero();
      Map<String, String> after = tree(home);
      assertThat(changes(before, after)).as("the home after " + command).isEmpty();
    }
  }

  @Test
  void readCommandsChangeNothingInAHomeNoProcessHasOpen() {
    assertThat(home.resolve("cairn.db-wal")).doesNotExist();
    everyReadCommandLeavesTheTreeAsItWas();
    assertThat(home.resolve("cairn.db-shm")).doesNotExist();
  }

  @Test
  void readCommandsChangeNothingWhileAWriterProcessHoldsTheHomeOpen() throws Exception {
    try (ChildJvm writer = ChildJvm.start(HoldOpenChild.class, home.toString())) {
      writer.awaitLine("open", Duration.ofSeconds(60));
      assertThat(home.resolve("cairn.db-wal")).exists();
      assertThat(home.resolve("cairn.db-shm")).exists();
      everyReadCommandLeavesTheTreeAsItWas();
      // what the writer committed is read through its write-ahead log
      assertThat(cairn(home, "map", "ls").out()).contains("held");
      writer.terminate();
      writer.waitFor(Duration.ofSeconds(30));
    }
  }

  @Test
  void aHomeWrittenByANewerCairnIsRefusedInOneLine() throws Exception {
    smallHome();
    sql("UPDATE schema_version SET version = 99");
    CliRun r = cairn(other, "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "cairn: "
                + other
                + " was written by a newer Cairn (schema 99; this one reads up to 6): upgrade"
                + " cairn\n");
  }

  @Test
  void aHomeAtAnOlderSchemaSaysHowToUpgradeAndCheckUpgradeDoesIt() throws Exception {
    smallHome();
    // Undo migrations 5, 4 and 3 by hand: a home as the Cairn before them left it.
    for (String table :
        List.of(
            "catalog_objects",
            "catalog_parents",
            "catalog_datasets",
            "catalog_partitions",
            "catalog_jobs",
            "catalog_placements",
            "catalog_pending_puts",
            "catalog_gc_marks")) {
      sql("DROP TABLE " + table);
    }
    sql("DROP INDEX resources_errors_by_key");
    sql("DROP INDEX resources_by_change");
    sql("DROP INDEX resources_queue");
    sql("ALTER TABLE resources DROP COLUMN work");
    sql("ALTER TABLE resources DROP COLUMN change_seq");
    sql(
        "INSERT INTO sequences (name, next) SELECT 'resources', next FROM sequences WHERE name = 'changes'");
    sql("DELETE FROM sequences WHERE name = 'changes'");
    sql("DELETE FROM sequences WHERE name = 'map_entries'");
    sql("UPDATE schema_version SET version = 2");
    Map<String, String> before = tree(other);
    CliRun refused = cairn(other, "map", "ls");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .startsWith(
            "cairn: " + other + " was written by an older Cairn (schema 2; this one reads 6)")
        .contains("cairn check --upgrade")
        .doesNotContain("\n" + "cairn");
    assertThat(changes(before, tree(other))).isEmpty();

    CliRun upgraded = cairn(other, "check", "--upgrade");
    assertThat(upgraded.code()).as(upgraded.err()).isZero();
    CliRun listed = cairn(other, "map", "ls");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("settings");
  }

  @Test
  void noHomeIsAUsageErrorAndIsNotCreated() {
    Path missing = other.resolve("nowhere");
    for (List<String> command : List.of(List.of("status"), List.of("map", "ls"))) {
      CliRun r = cairn(missing, command.toArray(String[]::new));
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("cairn: no Cairn home at " + missing);
    }
    assertThat(missing).doesNotExist();
  }

  private void smallHome() {
    try (Cairn cairn = Cairn.open(other)) {
      cairn.map("settings").put("depth", 3);
      cairn.map("settings").sync();
    }
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate(statement);
    }
  }

  /** The paths whose presence, size or modification time differ, each with both states. */
  private static List<String> changes(Map<String, String> before, Map<String, String> after) {
    java.util.Set<String> paths = new java.util.TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    return paths.stream()
        .filter(p -> !java.util.Objects.equals(before.get(p), after.get(p)))
        .map(p -> "'" + p + "': " + before.get(p) + " -> " + after.get(p))
        .toList();
  }

  /** Every path under {@code root}, directories included, with its size and modification time. */
  private static Map<String, String> tree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      return all.collect(
          Collectors.toMap(
              p -> root.relativize(p).toString(),
              ReadOnlyHomeTest::describe,
              (a, b) -> a,
              TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return (a.isDirectory() ? "dir " : a.size() + " ") + a.lastModifiedTime().toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
