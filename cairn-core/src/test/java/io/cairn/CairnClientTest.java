package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading is not running: the client reads a home and leaves every byte and mtime as it was. */
class CairnClientTest {
  @TempDir Path home;

  private Cairn writeHome() {
    Cairn cairn = Cairn.open(home);
    cairn.collection(
        "squares",
        "v1",
        (ident, args, ctx) -> {
          ctx.log().info("squaring {}", ident);
          if (ident.equals("bad")) {
            throw new IllegalStateException("cannot square bad");
          }
          int n = Integer.parseInt(ident);
          return Map.of("square", n * n);
        });
    for (String ident : List.of("1", "2", "3", "bad")) {
      cairn.fetch("squares", ident);
    }
    cairn.map("settings").put("depth", 3);
    cairn.map("settings").sync();
    return cairn;
  }

  /** Every path under the home with its size and modification time, directories included. */
  private Map<String, String> tree() throws IOException {
    try (Stream<Path> all = Files.walk(home)) {
      return all.collect(
          Collectors.toMap(
              p -> home.relativize(p).toString(),
              p -> {
                try {
                  BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                  return (a.isDirectory() ? "dir " : a.size() + " ")
                      + a.lastModifiedTime().toInstant();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              (a, b) -> a,
              TreeMap::new));
    }
  }

  private static Set<String> cairnThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("cairn"))
        .collect(Collectors.toSet());
  }

  /** Every read the client offers, checked against what was written. */
  private void readEverything() {
    Set<String> threadsBefore = cairnThreads();
    try (CairnClient client = CairnClient.open(home)) {
      assertThat(client.collections()).containsExactly("squares");
      assertThat(client.stats("squares").count(Status.COMPLETED)).isEqualTo(3);
      assertThat(client.stats()).containsOnlyKeys("squares");
      assertThat(client.idsByStatus("squares", Status.COMPLETED, null, 2).items())
          .containsExactly("1", "2");
      assertThat(client.resource("squares", "3").result()).isEqualTo(Map.of("square", 9));
      assertThat(client.error("squares", "bad").orElseThrow()).contains("cannot square bad");
      assertThat(client.log("squares", "2")).contains("squaring 2");
      assertThat(client.why("squares", "1").reason()).isEqualTo(Why.Reason.UP_TO_DATE);
      assertThat(client.why("squares", "bad").reason()).isEqualTo(Why.Reason.ERROR);
      assertThat(client.why("squares", "4").reason()).isEqualTo(Why.Reason.NEVER_COMPUTED);
      assertThat(client.maps()).containsExactly("settings");
      assertThat(client.mapSize("settings")).isEqualTo(1);
      assertThat(client.mapEntries("settings", null, 10).items())
          .containsExactly(Map.entry("depth", 3));
      assertThatThrownBy(() -> client.resource("nope", "1"))
          .isInstanceOf(UnknownCollectionException.class);
      assertThat(cairnThreads()).isEqualTo(threadsBefore);
    }
  }

  @Test
  void readingAClosedHomeChangesNoFileNoDirectoryAndNoMtime() throws IOException {
    writeHome().close();
    assertThat(home.resolve("cairn.db-wal")).doesNotExist();
    Map<String, String> before = tree();
    readEverything();
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void readingAHomeAWriterHoldsOpenChangesNothingAndSeesItsCommits() throws IOException {
    try (Cairn writer = writeHome()) {
      assertThat(home.resolve("cairn.db-wal")).exists();
      assertThat(home.resolve("cairn.db-shm")).exists();
      Map<String, String> before = tree();
      readEverything();
      assertThat(tree()).isEqualTo(before);

      try (CairnClient client = CairnClient.open(home)) {
        writer.fetch("squares", "4");
        assertThat(client.resource("squares", "4").result()).isEqualTo(Map.of("square", 16));
      }
    }
  }

  @Test
  void aHomeWrittenAfterTheClientOpenedIsReadFresh() {
    writeHome().close();
    try (CairnClient client = CairnClient.open(home)) {
      assertThat(client.stats("squares").count(Status.COMPLETED)).isEqualTo(3);
      try (Cairn writer = Cairn.open(home)) {
        writer.collection("squares", "v1", (ident, args, ctx) -> Map.of("square", 0));
        writer.fetch("squares", "5");
        assertThat(client.stats("squares").count(Status.COMPLETED)).isEqualTo(4);
      }
      assertThat(client.stats("squares").count(Status.COMPLETED)).isEqualTo(4);
    }
  }

  @Test
  void whyAnswersAsCairnDoes() {
    try (Cairn cairn = writeHome();
        CairnClient client = CairnClient.open(home)) {
      for (String ident : List.of("1", "bad", "9")) {
        assertThat(client.why("squares", ident)).isEqualTo(cairn.why("squares", ident));
        Map<String, Object> args = Map.of("scale", 2);
        assertThat(client.why("squares", ident, args)).isEqualTo(cairn.why("squares", ident, args));
      }
    }
  }

  @Test
  void noHomeIsSaidInOneLineAndNothingIsCreated() {
    Path missing = home.resolve("nowhere");
    assertThatThrownBy(() -> CairnClient.open(missing))
        .isInstanceOf(HomeNotFoundException.class)
        .hasMessage(
            "no Cairn home at " + missing + ": run a command that writes (cairn run, ...) first");
    assertThat(missing).doesNotExist();
    assertThatThrownBy(() -> CairnClient.open(home)).isInstanceOf(HomeNotFoundException.class);
    assertThat(home).isEmptyDirectory();
  }

  @Test
  void aHomeWrittenByANewerCairnSaysSoAndToUpgrade() throws Exception {
    writeHome().close();
    setSchemaVersion(99);
    assertThatThrownBy(() -> CairnClient.open(home))
        .isInstanceOf(CairnException.class)
        .hasMessage(
            home
                + " was written by a newer Cairn (schema 99; this one reads up to 6):"
                + " upgrade cairn");
  }

  @Test
  void aHomeAtAnOlderSchemaSaysHowToUpgradeItAndIsNotMigrated() throws Exception {
    writeHome().close();
    setSchemaVersion(2);
    Map<String, String> before = tree();
    assertThatThrownBy(() -> CairnClient.open(home))
        .isInstanceOf(CairnException.class)
        .hasMessageStartingWith(
            home + " was written by an older Cairn (schema 2; this one reads 6)")
        .hasMessageContaining("cairn check --upgrade");
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void theClientRefusesToRunAPipeline() throws IOException {
    writeHome().close();
    Path yaml = home.resolveSibling(home.getFileName() + "-pipeline.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "pipeline: p",
            "repositories:",
            "  words: {type: blobs, prefix: p/words}",
            "  upper: {type: blobs, prefix: p/upper}",
            "tasks:",
            "  up:",
            "    script: tr a-z A-Z < {{links.word}}",
            "    inputs: {word: words}",
            "    outputs: {out: upper}",
            "    stdout: out",
            ""));
    try (CairnClient client = CairnClient.open(home)) {
      var runner = client.pipeline(client.loadPipeline(yaml));
      assertThat(runner.status()).hasSize(1);
      assertThat(runner.keys("up.word")).isEmpty();
      assertThatThrownBy(() -> runner.run(io.cairn.pipeline.RunOptions.defaults()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("read-only");
    } finally {
      Files.delete(yaml);
    }
  }

  private void setSchemaVersion(int version) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE schema_version SET version = " + version);
    }
  }
}
