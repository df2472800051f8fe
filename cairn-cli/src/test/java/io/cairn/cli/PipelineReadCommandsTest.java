package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status, graph, trace, ls, cat on one chain whose step 3 is broken: s1 and s2 completed for a and
 * b, s3 aborted for both, s4 and s5 never ran.
 */
class PipelineReadCommandsTest {
  @TempDir static Path home;
  @TempDir static Path dir;
  static ChainPipeline chain;
  static String f;

  @BeforeAll
  static void runTheBrokenChain() {
    chain = ChainPipeline.write(dir, "a", "b");
    f = chain.file.toString();
    assertThat(cairn(home, "run", "-f", f).code()).isEqualTo(1);
  }

  @Test
  void statusJsonHasEveryTasksCountsAndLinks() {
    CliRun r = cairn(home, "status", "-f", f, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.get("pipeline").asText()).isEqualTo("chain");
    assertThat(doc.get("preview").asBoolean()).isFalse();
    assertThat(doc.get("home").asText()).isEqualTo(home.toAbsolutePath().toString());
    JsonNode tasks = doc.get("tasks");
    assertThat(tasks).hasSize(5);
    JsonNode s1 = tasks.get(0);
    assertThat(s1.get("task").asText()).isEqualTo("s1");
    assertThat(s1.get("collection").asText()).isEqualTo("chain.s1");
    assertThat(s1.get("completed").asLong()).isEqualTo(2);
    assertThat(s1.get("links").get("src").asLong()).isEqualTo(2);
    assertThat(s1.get("links").get("dst").asLong()).isEqualTo(2);
    JsonNode s3 = tasks.get(2);
    assertThat(s3.get("aborted").asLong()).isEqualTo(2);
    assertThat(s3.get("completed").asLong()).isZero();
    assertThat(s3.get("links").get("dst").asLong()).isZero();
    assertThat(tasks.get(3).get("total").asLong()).isZero();
  }

  @Test
  void statusTablesShowTasksThenLinks() {
    CliRun r = cairn(home, "status", "-f", f);
    assertThat(r.code()).isZero();
    List<String> lines = r.outLines();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly(
            "task",
            "total",
            "queued",
            "running",
            "completed",
            "error",
            "aborted",
            "ready",
            "blocked");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly("s1", "2", "0", "0", "2", "0", "0", "0", "0");
    assertThat(lines.get(3).split("\\s+"))
        .containsExactly("s3", "2", "0", "0", "0", "0", "2", "0", "0");
    assertThat(lines).contains("");
    assertThat(lines.get(7).split("\\s+")).startsWith("task", "link", "kind", "keys", "repository");
    assertThat(lines.get(8).split("\\s+")).startsWith("s1", "src", "input", "2");
  }

  @Test
  void withoutAHomeStatusPreviewsTheFirstRunAndCreatesNothing(@TempDir Path scratch) {
    Path none = scratch.resolve("no-home");
    CliRun r = cairn(none, "status", "-f", f, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("preview").asBoolean()).isTrue();
    assertThat(r.json().get("tasks").get(0).get("ready").asLong()).isEqualTo(2);
    assertThat(none).doesNotExist();
  }

  @Test
  void graphPrintsEdgesAsTextDotAndJson() {
    CliRun text = cairn(home, "graph", "-f", f);
    assertThat(text.code()).isZero();
    assertThat(text.outLines()).contains("s1 -> s2  (src)", "s4 -> s5  (src)");

    CliRun dot = cairn(home, "graph", "-f", f, "--dot");
    assertThat(dot.out())
        .startsWith("digraph pipeline {")
        .contains("\"s2\" -> \"s3\" [label=\"src\"];");

    JsonNode json = cairn(home, "graph", "-f", f, "--json").json();
    assertThat(json.get("edges")).hasSize(4);
    assertThat(json.get("edges").get(0).get("from").asText()).isEqualTo("s1");

    CliRun both = cairn(home, "graph", "-f", f, "--json", "--dot");
    assertThat(both.code()).isEqualTo(2);
  }

  @Test
  void traceSaysPerTaskWhereAJobIsAndWhy() {
    CliRun r = cairn(home, "trace", "-f", f, "a", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode tasks = r.json().get("jobs").get(0).get("tasks");
    assertThat(r.json().get("jobs").get(0).get("job").asText()).isEqualTo("a");
    assertThat(tasks).hasSize(5);
    assertThat(tasks.get(0).get("status").asText()).isEqualTo("completed");
    assertThat(tasks.get(0).get("attempts").asInt()).isEqualTo(1);
    assertThat(tasks.get(0).get("links").get("src").asBoolean()).isTrue();
    assertThat(tasks.get(2).get("status").asText()).isEqualTo("aborted");
    assertThat(tasks.get(2).get("links").get("dst").asBoolean()).isFalse();
    assertThat(tasks.get(2).get("error").asText()).isNotBlank();
    assertThat(tasks.get(3).get("status").asText()).isEqualTo("unavailable");

    CliRun human = cairn(home, "trace", "-f", f, "a", "b");
    assertThat(human.out()).contains("job a", "job b", "error in s3: ");
    assertThat(human.outLines())
        .anySatisfy(l -> assertThat(l).startsWith("s3").contains("aborted", "src=yes", "dst=no"));
  }

  @Test
  void traceOfAnInvalidKeyIsAUsageError() {
    CliRun r = cairn(home, "trace", "-f", f, "../a");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("cairn: invalid job key '../a': use " + io.cairn.pipeline.JobKeys.RULE);
  }

  @Test
  void lsOfAnExpressionListsSortedKeys() {
    CliRun r = cairn(home, "ls", "-f", f, "s1.src - s3", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("expression").asText()).isEqualTo("s1.src - s3");
    assertThat(texts(r.json().get("keys"))).containsExactly("a", "b");

    assertThat(cairn(home, "ls", "-f", f, "s2").outLines()).containsExactly("a", "b");
    CliRun none = cairn(home, "ls", "-f", f, "s3");
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).contains("no keys in s3");
  }

  @Test
  void lsWithAStatusListsTheTaskCollectionEvenWithAPipelineFile() {
    CliRun r = cairn(home, "ls", "-f", f, "chain.s3", "--status", "aborted");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.outLines()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void catPrintsALinksBytesAndRefusesWhatIsNotThere() {
    CliRun.Bytes r = CliRun.cairnBytes(home, "cat", "-f", f, "s2.dst", "b");
    assertThat(r.run().code()).as(r.run().err()).isZero();
    assertThat(new String(r.out(), StandardCharsets.UTF_8)).isEqualTo("data of b\n");

    CliRun missing = cairn(home, "cat", "-f", f, "s3.dst", "a");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errLines()).hasSize(1);
    assertThat(missing.errLines().get(0)).startsWith("cairn: no job 'a' in s3.dst");

    CliRun link = cairn(home, "cat", "-f", f, "s3.nope", "a");
    assertThat(link.code()).isEqualTo(2);
    assertThat(link.errLines())
        .containsExactly("cairn: task 's3' has no link 'nope'; links: src, dst");

    CliRun task = cairn(home, "cat", "-f", f, "s9.src", "a");
    assertThat(task.code()).isEqualTo(2);
    assertThat(task.errLines()).hasSize(1);

    CliRun shape = cairn(home, "cat", "-f", f, "s1", "a");
    assertThat(shape.code()).isEqualTo(2);
    assertThat(shape.errLines())
        .containsExactly("cairn: expected TASK.LINK, e.g. split.doc, got 's1'");
  }

  @Test
  void everyPipelineCommandHasHelp() {
    for (String cmd : new String[] {"run", "graph", "trace", "cat", "inject", "launch", "rm"}) {
      CliRun r = CliRun.raw(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: cairn " + cmd, "-f, --file=FILE");
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
