package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static io.cairn.cli.CliRun.cairnWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata and collection links, a required link that blocks jobs, and a parameterized task: {@code
 * touch} needs each key in {@code meta}; {@code audit} reads touch's completed jobs (a collection);
 * {@code report} is named by its parameters.
 */
class PipelineValuesTest {
  @TempDir Path home;
  @TempDir Path dir;
  Path file;
  Path log;

  @BeforeEach
  void writeThePipeline() throws IOException {
    file = dir.resolve("cairn.yaml");
    log = dir.resolve("reports.txt");
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/k1.txt"), "one\n");
    Files.writeString(dir.resolve("in/k2.txt"), "two\n");
    Files.writeString(
        file,
        String.join(
            "\n",
            "pipeline: vals",
            "repositories:",
            "  input: {type: files, dir: in, ext: .txt}",
            "  meta: {type: metadata, dir: meta}",
            "  touched: {type: collection, name: vals.touch}",
            "tasks:",
            "  touch:",
            "    script: cat {{links.src}}",
            "    inputs: {src: input}",
            "    requires: {m: meta}",
            "  audit:",
            "    script: echo audited {{job}}",
            "    inputs: {done: touched}",
            "  report:",
            "    script: \"echo report {{params.day}} {{params.top}} >> '" + log + "'\"",
            "    params:",
            "      day: date",
            "      top: {type: int, default: 3}",
            ""));
  }

  @Test
  void injectedMetadataUnblocksAJobAndCatPrintsItAsJson() {
    String f = file.toString();
    JsonNode before = cairn(home, "status", "-f", f, "--json").json().get("tasks").get(0);
    assertThat(before.get("blocked").asLong()).isEqualTo(2);
    assertThat(before.get("ready").asLong()).isZero();

    CliRun inject = cairnWithStdin(home, "{\"pages\": 3}\n", "inject", "-f", f, "touch.m", "k1");
    assertThat(inject.code()).as(inject.err()).isZero();
    assertThat(inject.err()).contains("stored a JSON value for job k1 in touch.m");
    assertThat(dir.resolve("meta/k1.json")).exists();

    CliRun cat = cairn(home, "cat", "-f", f, "touch.m", "k1");
    assertThat(cat.code()).isZero();
    assertThat(cat.out()).isEqualTo("{\n  \"pages\": 3\n}\n");

    JsonNode after = cairn(home, "status", "-f", f, "--json").json().get("tasks").get(0);
    assertThat(after.get("ready").asLong()).isEqualTo(1);
    assertThat(after.get("blocked").asLong()).isEqualTo(1);
  }

  @Test
  void injectRefusesInvalidJsonAndReadOnlyLinks() {
    String f = file.toString();
    CliRun bad = cairnWithStdin(home, "{pages: 3", "inject", "-f", f, "touch.m", "k1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.errLines().get(0)).startsWith("cairn: stdin is not JSON: ");
    assertThat(dir.resolve("meta/k1.json")).doesNotExist();

    CliRun readOnly = cairnWithStdin(home, "x", "inject", "-f", f, "audit.done", "k1");
    assertThat(readOnly.code()).isEqualTo(2);
    assertThat(readOnly.errLines())
        .containsExactly(
            "cairn: audit.done (collection(vals.touch)) is read-only: inject writes to files,"
                + " blobs and metadata repositories");
  }

  @Test
  void aCollectionLinkShowsTheUpstreamResultAndFeedsTheNextTask() {
    String f = file.toString();
    cairnWithStdin(home, "{}", "inject", "-f", f, "touch.m", "k1");
    CliRun run = cairn(home, "run", "-f", f, "--json");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(PipelineRunTest.launchedPerTask(run.json()))
        .containsEntry("touch", 1L)
        .containsEntry("report", 0L);

    CliRun info = cairn(home, "cat", "-f", f, "audit.done", "k1");
    assertThat(info.code()).as(info.err()).isZero();
    assertThat(info.json().get("exitCode").asInt()).isZero();
    // A task's collection read as a link is an edge of the graph: audit ran in the same run.
    assertThat(cairn(home, "ls", "-f", f, "audit").outLines()).containsExactly("k1");
    assertThat(cairn(home, "graph", "-f", f).out()).contains("touch -> audit");
  }

  @Test
  void aParameterizedTaskRunsTheJobItsParametersName() throws IOException {
    String f = file.toString();
    CliRun missing = cairn(home, "run", "-f", f, "report");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errLines())
        .containsExactly("cairn: task 'report' needs parameter 'day' (date)");

    CliRun run = cairn(home, "run", "-f", f, "report", "--param", "day=2024-01-31", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(PipelineRunTest.launchedPerTask(run.json()))
        .containsOnly(java.util.Map.entry("report", 1L));
    CliRun again =
        cairn(home, "run", "-f", f, "report", "-p", "day=2024-01-31", "-p", "top=3", "--json");
    assertThat(again.json().get("launched").asLong()).isZero();

    CliRun launch =
        cairn(
            home,
            "launch",
            "-f",
            f,
            "report",
            "-",
            "--param",
            "day=2024-02-01",
            "--param",
            "top=5");
    assertThat(launch.code()).as(launch.err()).isZero();
    assertThat(launch.out()).startsWith("report/").contains("completed");
    assertThat(Files.readAllLines(log))
        .isEqualTo(List.of("report 2024-01-31 3", "report 2024-02-01 5"));

    CliRun badType = cairn(home, "run", "-f", f, "report", "--param", "day=yesterday");
    assertThat(badType.code()).isEqualTo(2);
    assertThat(badType.errLines())
        .containsExactly("cairn: parameter 'day': 'yesterday' is not a date");
  }
}
