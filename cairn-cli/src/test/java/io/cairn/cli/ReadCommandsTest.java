package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static io.cairn.cli.WordCountFixture.FAILING_1;
import static io.cairn.cli.WordCountFixture.FAILING_2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, ls, show, log, error and why on one word-count home (these commands only read). */
class ReadCommandsTest {
  static final String GOOD = "doc-00001";

  @TempDir static Path home;

  @BeforeAll
  static void computeTheWordCounts() {
    WordCountFixture.fill(home, 200);
  }

  @Test
  void statusTableHasOneRowPerCollection() {
    CliRun r = cairn(home, "status");
    assertThat(r.code()).isZero();
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(0).split("\\s+"))
        .containsExactly(
            "collection", "total", "queued", "running", "completed", "error", "aborted");
    assertThat(r.outLines().get(1).split("\\s+"))
        .containsExactly("wordcount", "200", "0", "0", "198", "2", "0");
  }

  @Test
  void statusOfOneCollectionAsJson() {
    JsonNode rows = cairn(home, "status", "wordcount", "--json").json().get("collections");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("error").asLong()).isEqualTo(2);
  }

  @Test
  void lsErrorListsExactlyTheFailingDocuments() {
    CliRun r = cairn(home, "ls", "wordcount", "--status", "error", "--json");
    assertThat(r.code()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.get("collection").asText()).isEqualTo("wordcount");
    assertThat(doc.get("status").asText()).isEqualTo("error");
    assertThat(texts(doc.get("ids"))).containsExactly(FAILING_1, FAILING_2);
    assertThat(doc.get("nextCursor").isNull()).isTrue();

    CliRun human = cairn(home, "ls", "wordcount", "--status", "ERROR");
    assertThat(human.outLines()).containsExactly(FAILING_1, FAILING_2);
    assertThat(human.err()).isEmpty();
  }

  @Test
  void lsDefaultsToCompletedAndPagesWithACursor() {
    CliRun first = cairn(home, "ls", "wordcount", "--limit", "150", "--json");
    JsonNode page1 = first.json();
    assertThat(page1.get("status").asText()).isEqualTo("completed");
    assertThat(page1.get("ids")).hasSize(150);
    String cursor = page1.get("nextCursor").asText();
    assertThat(first.err()).contains("--cursor " + cursor);

    CliRun second = cairn(home, "ls", "wordcount", "--limit", "150", "--cursor", cursor);
    assertThat(second.outLines()).hasSize(48);
    assertThat(second.err()).isEmpty();

    List<String> all = new ArrayList<>(texts(page1.get("ids")));
    all.addAll(second.outLines());
    assertThat(new HashSet<>(all)).hasSize(198).doesNotContain(FAILING_1, FAILING_2);
  }

  @Test
  void lsOfAnEmptyStatusSaysSoOnStderr() {
    CliRun r = cairn(home, "ls", "wordcount", "--status", "aborted");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("no aborted resources in wordcount");
  }

  @Test
  void showOfAGoodDocumentHasItsResultAndPaths() {
    CliRun r = cairn(home, "show", "wordcount", GOOD);
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("wordcount/" + GOOD + "  completed")
        .contains("attempts  1", "\"words\": ", "\"top\": [")
        .contains(home.resolve("resources").toString())
        .doesNotContain("error ");

    JsonNode doc = cairn(home, "show", "wordcount", GOOD, "--json").json();
    assertThat(doc.get("status").asText()).isEqualTo("completed");
    assertThat(doc.get("result").get("words").asInt()).isBetween(200, 500);
    assertThat(doc.get("result").get("top")).hasSize(3);
    assertThat(doc.get("args").get("dir").asText()).endsWith("docs");
    assertThat(doc.get("durationMillis").asLong()).isNotNegative();
    assertThat(doc.get("error").isNull()).isTrue();
    assertThat(doc.get("paths").get("log").asText()).endsWith("log");
    assertThat(doc.get("startedAt").asText()).endsWith("Z");
  }

  @Test
  void showOfAFailingDocumentHasTheFirstLineOfItsError() {
    CliRun r = cairn(home, "show", "wordcount", FAILING_1);
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("  error")
        .contains("java.lang.IllegalStateException: corrupt document: " + FAILING_1 + ".txt line")
        .doesNotContain("\tat ");
    JsonNode doc = cairn(home, "show", "wordcount", FAILING_1, "--json").json();
    assertThat(doc.get("status").asText()).isEqualTo("error");
    assertThat(doc.get("error").asText()).contains("\tat io.cairn.cli.WordCount.compute");
  }

  @Test
  void showOfAnIdentNeverAskedForIsUnavailable() {
    CliRun r = cairn(home, "show", "wordcount", "doc-99999", "--json");
    assertThat(r.code()).isZero();
    assertThat(r.json().get("status").asText()).isEqualTo("unavailable");
  }

  @Test
  void logShowsWhatTheFunctionWrote() {
    CliRun good = cairn(home, "log", "wordcount", GOOD);
    assertThat(good.code()).isZero();
    assertThat(good.out()).contains("INFO", "counting " + GOOD + ".txt").doesNotContain("ERROR");

    CliRun bad = cairn(home, "log", "wordcount", FAILING_1);
    assertThat(bad.out()).contains("counting " + FAILING_1 + ".txt", "ERROR", "corrupt document");
  }

  @Test
  void errorPrintsTheStackTraceOfAFailingDocument() {
    CliRun r = cairn(home, "error", "wordcount", FAILING_2);
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("java.lang.IllegalStateException: corrupt document: " + FAILING_2)
        .contains("\tat io.cairn.cli.WordCount.compute");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void errorOfAGoodDocumentSaysThereIsNoneAndExitsOne() {
    CliRun r = cairn(home, "error", "wordcount", GOOD);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly("cairn: no error stored for wordcount/" + GOOD + " (completed)");
  }

  @Test
  void whySaysUpToDateForAGoodDocumentAndRetryForAFailingOne() {
    CliRun good = cairn(home, "why", "wordcount", GOOD);
    assertThat(good.code()).isZero();
    assertThat(good.outLines()).hasSize(1);
    assertThat(good.out()).startsWith("up-to-date  ");

    JsonNode bad = cairn(home, "why", "wordcount", FAILING_1, "--json").json();
    assertThat(bad.get("reason").asText()).isEqualTo("error");
    assertThat(bad.get("wouldCompute").asBoolean()).isTrue();
    assertThat(bad.get("message").asText()).contains("corrupt document");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
