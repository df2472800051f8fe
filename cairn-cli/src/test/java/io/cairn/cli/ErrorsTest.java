package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and the one-line messages of failures. */
class ErrorsTest {
  @TempDir static Path home;
  @TempDir Path scratch;

  @BeforeAll
  static void computeTheWordCounts() {
    WordCountFixture.fill(home, 3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "status nope",
        "ls nope",
        "show nope doc-00001",
        "log nope doc-00001",
        "error nope doc-00001",
        "why nope doc-00001",
        "reset nope --status error"
      })
  void unknownCollectionExitsTwoWithOneLineNamingTheKnownOnes(String command) {
    CliRun r = cairn(home, command.split(" "));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("cairn: ")
        .contains("unknown collection 'nope'")
        .contains("known: wordcount");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "status",
        "status wordcount",
        "ls wordcount",
        "show wordcount doc-00001",
        "log wordcount doc-00001",
        "error wordcount doc-00001",
        "why wordcount doc-00001",
        "reset wordcount --status error"
      })
  void missingHomeExitsTwoWithOneLineAndIsNotCreated(String command) {
    Path missing = scratch.resolve("no-such-home");
    CliRun r = cairn(missing, command.split(" "));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "cairn: no Cairn home at "
                + missing.toAbsolutePath()
                + " (run 'cairn demo' or pass --home)");
    assertThat(missing).doesNotExist();
  }

  @Test
  void anEmptyDirectoryIsNotAHomeEither() throws Exception {
    Path empty = Files.createDirectories(scratch.resolve("empty"));
    CliRun r = cairn(empty, "status");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void invalidStatusValueIsAUsageError() {
    CliRun r = cairn(home, "ls", "wordcount", "--status", "bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines().get(0))
        .startsWith("cairn: ")
        .contains("'bogus'")
        .contains("completed, error, aborted");
  }

  @Test
  void invalidIdentAndCollectionNameExitTwoWithOneLine() {
    CliRun ident = cairn(home, "show", "wordcount", "");
    assertThat(ident.code()).isEqualTo(2);
    assertThat(ident.errLines()).containsExactly("cairn: ident must not be empty");

    CliRun name = cairn(home, "why", "../etc", "x");
    assertThat(name.code()).isEqualTo(2);
    assertThat(name.errLines()).hasSize(1);
    assertThat(name.errLines().get(0)).startsWith("cairn: invalid collection name '../etc'");
  }

  @Test
  void unknownCommandIsAUsageErrorWithASuggestion() {
    CliRun r = cairn(home, "statsu");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'statsu'").contains("did you mean: status");
  }

  @Test
  void unexpectedFailureExitsOneWithOneLineAndTheTraceOnlyWhenVerbose() throws Exception {
    Path broken = Files.createDirectories(scratch.resolve("broken"));
    Files.writeString(broken.resolve("cairn.db"), "this is not a database");

    CliRun r = cairn(broken, "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("cairn: ").contains("not a database");

    CliRun verbose = cairn(broken, "status", "-v");
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat io.cairn.");
  }

  @Test
  void noCommandPrintsTheUsageOnStderrAndExitsTwo() {
    CliRun r = CliRun.raw();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: cairn", "status", "demo");
  }

  @Test
  void helpListsEveryCommandWithADescription() {
    CliRun r = CliRun.raw("--help");
    assertThat(r.code()).isZero();
    for (String cmd :
        new String[] {
          "status", "ls", "show", "log", "error", "why", "reset", "map", "run", "graph", "trace",
          "cat", "inject", "launch", "rm", "demo"
        }) {
      assertThat(r.out()).containsPattern("(?m)^  " + cmd + " +\\S");
    }
  }

  @Test
  void versionPrintsTheVersion() {
    CliRun r = CliRun.raw("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("cairn ").contains("java 17");
  }

  @Test
  void homeMayFollowTheCommand() {
    CliRun r = CliRun.raw("status", "--json", "--home", home.toString());
    assertThat(r.code()).isZero();
    assertThat(r.json().get("collections").get(0).get("total").asLong()).isEqualTo(3);
  }
}
