package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static io.cairn.cli.CliRun.cairnWithStdin;
import static io.cairn.cli.WordCountFixture.FAILING_1;
import static io.cairn.cli.WordCountFixture.FAILING_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** show, why, error and log of several idents in one process: arguments, '-' and --stdin. */
class BatchReadCommandsTest {
  static final String GOOD = "doc-00001";
  static final String OTHER = "doc-00002";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;

  @BeforeAll
  static void computeTheWordCounts() {
    WordCountFixture.fill(home, 200);
  }

  @Test
  void whyOfSeveralIdentsPrintsOneLinePerIdentInOrder() {
    CliRun r = cairn(home, "why", "wordcount", GOOD, FAILING_1, "doc-99999");
    assertThat(r.code()).isZero();
    assertThat(r.outLines()).hasSize(3);
    assertThat(r.outLines().get(0)).startsWith(GOOD + "  up-to-date  ");
    assertThat(r.outLines().get(1)).startsWith(FAILING_1 + "  error  ");
    assertThat(r.outLines().get(2)).startsWith("doc-99999  never-computed  ");
  }

  @Test
  void whyReadsIdentsFromStdinWithADashAndWritesJsonLines() {
    CliRun r =
        cairnWithStdin(home, GOOD + "\n\n" + FAILING_2 + "\n", "why", "wordcount", "-", "--json");
    assertThat(r.code()).isZero();
    List<JsonNode> docs = jsonLines(r);
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).get("ident").asText()).isEqualTo(GOOD);
    assertThat(docs.get(0).get("wouldCompute").asBoolean()).isFalse();
    assertThat(docs.get(1).get("ident").asText()).isEqualTo(FAILING_2);
    assertThat(docs.get(1).get("reason").asText()).isEqualTo("error");
  }

  @Test
  void aSingleIdentFromStdinStillHasTheBatchShape() {
    CliRun r = cairnWithStdin(home, GOOD + "\n", "show", "wordcount", "--stdin", "--json");
    assertThat(r.code()).isZero();
    List<JsonNode> docs = jsonLines(r);
    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).get("status").asText()).isEqualTo("completed");
    assertThat(docs.get(0).get("logBlob").asText()).isNotEmpty();
  }

  @Test
  void showOfSeveralIdentsSeparatesTheBlocksByABlankLine() {
    CliRun r = cairn(home, "show", "wordcount", GOOD, FAILING_1);
    assertThat(r.code()).isZero();
    String[] blocks = r.out().split("\n\n");
    assertThat(blocks).hasSize(2);
    assertThat(blocks[0]).startsWith("wordcount/" + GOOD + "  completed");
    assertThat(blocks[1]).startsWith("wordcount/" + FAILING_1 + "  error");
  }

  @Test
  void errorOfSeveralIdentsHeadsEachTraceAndExitsOneWhenOneHasNone() {
    CliRun r = cairn(home, "error", "wordcount", FAILING_1, GOOD, FAILING_2);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("==> wordcount/" + FAILING_1 + " <==\njava.lang.IllegalStateException")
        .contains("\n\n==> wordcount/" + FAILING_2 + " <==\njava.lang.IllegalStateException")
        .doesNotContain(GOOD);
    assertThat(r.errLines())
        .containsExactly("cairn: no error stored for wordcount/" + GOOD + " (completed)");

    CliRun both = cairn(home, "error", "wordcount", FAILING_1, FAILING_2);
    assertThat(both.code()).isZero();
  }

  @Test
  void logOfSeveralIdentsHeadsEachLogAndJsonCarriesTheText() {
    CliRun r = cairn(home, "log", "wordcount", GOOD, OTHER);
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("==> wordcount/" + GOOD + " <==\n")
        .contains("counting " + GOOD + ".txt")
        .contains("\n\n==> wordcount/" + OTHER + " <==\n")
        .contains("counting " + OTHER + ".txt");

    List<JsonNode> docs = jsonLines(cairn(home, "log", "wordcount", GOOD, OTHER, "--json"));
    assertThat(docs).hasSize(2);
    assertThat(docs.get(1).get("log").asText()).contains("counting " + OTHER + ".txt");
  }

  @Test
  void identsAndStdinTogetherOrNoIdentAtAllAreUsageErrors() {
    CliRun both = cairnWithStdin(home, GOOD + "\n", "why", "wordcount", GOOD, "--stdin");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give the idents as arguments or with --stdin, not both");

    CliRun none = cairn(home, "show", "wordcount");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("missing IDENT");
  }

  private static List<JsonNode> jsonLines(CliRun r) {
    List<JsonNode> docs = new ArrayList<>();
    for (String line : r.outLines()) {
      try {
        docs.add(JSON.readTree(line));
      } catch (Exception e) {
        throw new AssertionError("not one JSON object a line: " + r.out(), e);
      }
    }
    return docs;
  }
}
