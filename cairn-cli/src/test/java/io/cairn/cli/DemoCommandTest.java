package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path home;

  @Test
  void demoRunsTheExampleAndAbortsOnlyTheMalformedDocumentsThenLaunchesNothingNew() {
    CliRun demo = cairn(home, "demo");
    assertThat(demo.code()).as(demo.err()).isZero();
    Path dir = home.resolve("demo/wordfreq").toAbsolutePath();
    int paragraphs = DemoDocuments.paragraphKeys().size();
    int bad = DemoDocuments.CORRUPT.size();

    Map<String, JsonNode> tasks = tasks(home, dir);
    assertThat(tasks.keySet()).containsExactly("split", "count", "top");
    assertCounts(tasks.get("split"), DemoDocuments.COUNT - 1, 1);
    assertCounts(tasks.get("count"), paragraphs - bad, bad);
    assertCounts(tasks.get("top"), paragraphs - bad, 0);
    assertThat(tasks.get("split").get("links").get("paragraphs").asLong()).isEqualTo(paragraphs);

    assertThat(dir.resolve("out/paragraphs/doc-01.p1.txt")).isRegularFile();
    assertThat(dir.resolve("out/counts/doc-01.p2.tsv")).isRegularFile();
    String corrupt = DemoDocuments.key(5) + ".p" + DemoDocuments.corruptParagraph(5);
    assertThat(dir.resolve("out/counts/" + corrupt + ".tsv")).doesNotExist();
    assertThat(dir.resolve("out/top/doc-01.p1.txt")).isRegularFile();

    assertThat(demo.out())
        .contains("wordfreq: ")
        .contains(dir.resolve("out/top").toString())
        .contains("aborted on purpose")
        .contains(
            "trace -f " + dir.resolve("cairn.yaml") + " " + DemoDocuments.key(DemoDocuments.EMPTY))
        .doesNotContain("\u001b[");

    CliRun again = cairn(home, "demo");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .startsWith("wordfreq: nothing to do")
        .contains(
            "nothing new to launch: every job is completed, and the 3 aborted on purpose stay"
                + " aborted");
    assertThat(tasks(home, dir)).isEqualTo(tasks);
  }

  @Test
  void demoRestoresThePipelineButKeepsTheDocuments() throws Exception {
    Path dir = home.resolve("demo/wordfreq");
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("cairn.yaml"), "not: the pipeline\n");
    Files.writeString(dir.resolve("docs/doc-03.txt"), "one two two\n\nthree\n");

    CliRun demo = cairn(home, "demo", "--workers", "3");
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(Files.readString(dir.resolve("cairn.yaml"))).contains("pipeline: wordfreq");
    assertThat(dir.resolve("docs/doc-03.txt")).hasContent("one two two\n\nthree\n");
    assertThat(dir.resolve("out/counts/doc-03.p1.tsv")).hasContent("two\t2\none\t1\n");
    assertThat(dir.resolve("out/top/doc-03.p2.txt")).hasContent("three\t1\n");
  }

  @Test
  void documentsAreTheSameEveryTimeAndOnlyTheChosenOnesAreMalformed() {
    assertThat(DemoDocuments.text(17)).isEqualTo(DemoDocuments.text(17));
    assertThat(DemoDocuments.text(17)).isNotEqualTo(DemoDocuments.text(18));
    for (int i = 1; i <= DemoDocuments.COUNT; i++) {
      String text = DemoDocuments.text(i);
      assertThat(text.contains(DemoDocuments.CORRUPT_MARKER))
          .as("doc %d", i)
          .isEqualTo(DemoDocuments.CORRUPT.contains(i));
      assertThat(text.isBlank()).as("doc %d", i).isEqualTo(i == DemoDocuments.EMPTY);
      if (i != DemoDocuments.EMPTY) {
        assertThat(text.strip().split("\n\n")).as("doc %d", i).hasSize(DemoDocuments.paragraphs(i));
      }
    }
  }

  @Test
  void outOfRangeWorkersIsAUsageError() {
    CliRun r = cairn(home, "demo", "--workers", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("cairn: --workers must be 1 to 1024, got 0");
    assertThat(home.resolve("cairn.db")).doesNotExist();
  }

  private static void assertCounts(JsonNode task, long completed, long aborted) {
    assertThat(task.get("completed").asLong()).as(task.get("task").asText()).isEqualTo(completed);
    assertThat(task.get("aborted").asLong()).as(task.get("task").asText()).isEqualTo(aborted);
    assertThat(task.get("total").asLong()).isEqualTo(completed + aborted);
    assertThat(
            task.get("ready").asLong() + task.get("queued").asLong() + task.get("running").asLong())
        .isZero();
  }

  private static Map<String, JsonNode> tasks(Path home, Path dir) {
    CliRun status = cairn(home, "status", "-f", dir.resolve("cairn.yaml").toString(), "--json");
    assertThat(status.code()).as(status.err()).isZero();
    Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
    status.json().get("tasks").forEach(t -> m.put(t.get("task").asText(), t));
    return m;
  }
}
