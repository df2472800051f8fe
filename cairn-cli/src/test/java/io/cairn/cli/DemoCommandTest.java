package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  /** Of doc-00001 .. doc-00200, i % 97 == 42 makes these two corrupt. */
  static final String FAILING_1 = "doc-00042";
  static final String FAILING_2 = "doc-00139";

  @TempDir Path home;

  @Test
  void demoCountsEveryDocumentAndStatusTotalsAddUp() {
    CliRun demo = cairn(home, "demo", "--count", "200");
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("wordcount: 198 computed, 0 cached, 2 failed");

    CliRun status = cairn(home, "status", "--json");
    assertThat(status.code()).isZero();
    JsonNode rows = status.json().get("collections");
    assertThat(rows).hasSize(1);
    JsonNode wc = rows.get(0);
    assertThat(wc.get("collection").asText()).isEqualTo("wordcount");
    assertThat(wc.get("total").asLong()).isEqualTo(200);
    assertThat(wc.get("error").asLong()).isEqualTo(2);
    assertThat(wc.get("completed").asLong()).isEqualTo(198);
    assertThat(wc.get("queued").asLong() + wc.get("running").asLong() + wc.get("aborted").asLong())
        .isZero();
    assertThat(status.json().get("home").asText()).isEqualTo(home.toAbsolutePath().toString());
  }

  @Test
  void demoWritesItsDocumentsUnderTheHomeAndPrintsTheTableAndHints() {
    CliRun demo = cairn(home, "demo", "--count", "120", "--workers", "3");
    assertThat(demo.code()).isZero();
    assertThat(home.resolve("demo/docs/doc-00001.txt")).isRegularFile();
    assertThat(home.resolve("demo/docs/doc-00120.txt")).isRegularFile();
    assertThat(home.resolve("demo/docs/doc-00121.txt")).doesNotExist();
    assertThat(demo.out())
        .contains("collection", "completed", "error")
        .containsPattern("wordcount\\s+120\\s+0\\s+0\\s+119\\s+1\\s+0")
        .contains("ls wordcount --status error")
        .contains("error wordcount " + FAILING_1)
        .contains("show wordcount doc-00001");
    assertThat(demo.out()).doesNotContain("\u001b["); // not a terminal: no colours
  }

  @Test
  void secondDemoRunComputesNothingAndRetriesTheFailures() {
    assertThat(cairn(home, "demo", "--count", "200").code()).isZero();

    CliRun again = cairn(home, "demo", "--count", "200");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("wordcount: 0 computed, 198 cached, 2 failed");
    CliRun show = cairn(home, "show", "wordcount", FAILING_2, "--json");
    assertThat(show.json().get("attempts").asInt()).isEqualTo(2);
    assertThat(cairn(home, "show", "wordcount", "doc-00007", "--json").json().get("attempts").asInt())
        .isEqualTo(1);
  }

  @Test
  void recomputeCountsCompletedDocumentsAgain() {
    assertThat(cairn(home, "demo", "--count", "50").code()).isZero();

    CliRun again = cairn(home, "demo", "--count", "50", "--recompute");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("wordcount: 49 computed, 0 cached, 1 failed");
  }

  @Test
  void existingDocumentsAreLeftAlone() throws Exception {
    Path docs = Files.createDirectories(home.resolve("demo/docs"));
    Files.writeString(docs.resolve("doc-00003.txt"), "one two two\n");

    assertThat(cairn(home, "demo", "--count", "5").code()).isZero();

    assertThat(docs.resolve("doc-00003.txt")).hasContent("one two two");
    JsonNode result = cairn(home, "show", "wordcount", "doc-00003", "--json").json().get("result");
    assertThat(result.get("words").asInt()).isEqualTo(3);
    assertThat(result.get("lines").asInt()).isEqualTo(1);
    assertThat(result.get("top").toString()).isEqualTo("[\"two\",\"one\"]");
  }

  @Test
  void documentsAreTheSameEveryTimeAndOnlyTheChosenOnesAreCorrupt() {
    assertThat(DemoDocuments.text(17)).isEqualTo(DemoDocuments.text(17));
    assertThat(DemoDocuments.text(17)).isNotEqualTo(DemoDocuments.text(18));
    for (int i = 1; i <= 300; i++) {
      String text = DemoDocuments.text(i);
      int words = text.replace(DemoDocuments.CORRUPT_MARKER, "").split("\\s+").length;
      assertThat(words).as("doc %d", i).isBetween(200, 500);
      assertThat(text.contains(DemoDocuments.CORRUPT_MARKER)).as("doc %d", i)
          .isEqualTo(i % 97 == 42);
    }
  }

  @Test
  void outOfRangeCountIsAUsageError() {
    CliRun r = cairn(home, "demo", "--count", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("cairn: --count must be 1 to 1000000, got 0");
    assertThat(home.resolve("cairn.db")).doesNotExist();
  }
}
