package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cairn run on a five-step chain: resuming, one task, rm, exit codes, pipeline file errors. */
class PipelineRunTest {
  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void aFailedStepResumesFromItselfOnceFixed() {
    ChainPipeline chain = ChainPipeline.write(dir, "a", "b");

    CliRun first = cairn(home, "run", "-f", chain.file.toString(), "--json");
    assertThat(first.code()).as(first.err()).isEqualTo(1);
    assertThat(launchedPerTask(first.json()))
        .containsExactly(
            Map.entry("s1", 2L),
            Map.entry("s2", 2L),
            Map.entry("s3", 2L),
            Map.entry("s4", 0L),
            Map.entry("s5", 0L));
    assertThat(first.json().get("aborted").asLong()).isEqualTo(2);
    assertThat(first.errLines())
        .contains(
            "cairn: 2 jobs aborted in this run; retry them after a fix with cairn reset and cairn"
                + " run (the commands are above), or see why with cairn trace");
    assertThat(chain.takeLaunches())
        .containsExactly("s1 a", "s1 b", "s2 a", "s2 b", "s3 a", "s3 b");

    chain.fix();
    assertThat(cairn(home, "reset", "chain.s3", "--status", "aborted").code()).isZero();
    CliRun second = cairn(home, "run", "-f", chain.file.toString(), "--json");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(launchedPerTask(second.json()))
        .containsExactly(
            Map.entry("s1", 0L),
            Map.entry("s2", 0L),
            Map.entry("s3", 2L),
            Map.entry("s4", 2L),
            Map.entry("s5", 2L));
    assertThat(chain.takeLaunches())
        .containsExactly("s3 a", "s3 b", "s4 a", "s4 b", "s5 a", "s5 b");
    assertThat(chain.output(5, "b")).hasContent("data of b");

    CliRun third = cairn(home, "run", "-f", chain.file.toString());
    assertThat(third.code()).isZero();
    assertThat(third.out()).startsWith("chain: nothing to do");
    assertThat(chain.takeLaunches()).isEmpty();
  }

  @Test
  void theHumanReportHasATableAndTheTaskOfARunOnlyItsUpstream() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    CliRun r = cairn(home, "run", "-f", chain.file.toString(), "s2", "--workers", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("chain: 2 completed, 0 aborted of 2 launched in ");
    assertThat(r.outLines())
        .anySatisfy(
            l ->
                assertThat(l.split("\\s+"))
                    .containsExactly("task", "launched", "completed", "failed", "aborted"));
    assertThat(r.outLines())
        .anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("s2", "1", "1", "0", "0"));
    assertThat(r.out()).doesNotContain("\u001b[");
    assertThat(chain.takeLaunches()).containsExactly("s1 a", "s2 a");
  }

  @Test
  void rmWithDownstreamMakesTheNextRunRecomputeExactlyThoseJobs() {
    ChainPipeline chain = ChainPipeline.write(dir, "a", "b", "c");
    chain.fix();
    assertThat(cairn(home, "run", "-f", chain.file.toString()).code()).isZero();
    chain.takeLaunches();

    CliRun rm = cairn(home, "rm", "-f", chain.file.toString(), "s3", "a", "c", "-r", "--json");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(rm.json().get("removed").asLong()).isEqualTo(6);
    assertThat(chain.output(4, "a")).doesNotExist();
    assertThat(chain.output(2, "a")).exists();

    assertThat(cairn(home, "run", "-f", chain.file.toString()).code()).isZero();
    assertThat(chain.takeLaunches())
        .containsExactly("s3 a", "s3 c", "s4 a", "s4 c", "s5 a", "s5 c");
  }

  @Test
  void rmAllAndJobsAreExclusiveAndOneOfThemIsNeeded() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    CliRun both = cairn(home, "rm", "-f", chain.file.toString(), "s1", "a", "--all");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.errLines().get(0)).isEqualTo("cairn: --all and JOB are exclusive");
    CliRun none = cairn(home, "rm", "-f", chain.file.toString(), "s1");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.errLines().get(0)).isEqualTo("cairn: give JOB... or --all");
  }

  @Test
  void aPipelineFileErrorIsOneLineWithTheFileAndLine() throws Exception {
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        "pipeline: broken\n"
            + "repositories:\n"
            + "  docs: {type: files, dir: docs, ext: .txt}\n"
            + "tasks:\n"
            + "  split:\n"
            + "    script: cat {{links.doc}}\n"
            + "    inputs: {doc: dokz}\n");
    for (String cmd : new String[] {"run", "status", "graph"}) {
      CliRun r = cairn(home, cmd, "-f", file.toString());
      assertThat(r.code()).as(cmd).isEqualTo(2);
      assertThat(r.errLines()).as(cmd).hasSize(1);
      assertThat(r.errLines().get(0)).as(cmd).startsWith("cairn: ").contains("cairn.yaml:7:");
    }
  }

  @Test
  void aMissingPipelineFileIsAUsageError() {
    CliRun r = cairn(home, "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "cairn: no pipeline file cairn.yaml in "
                + Path.of("").toAbsolutePath()
                + " or above (pass -f FILE)");
    CliRun named = cairn(home, "graph", "-f", dir.resolve("nope.yaml").toString());
    assertThat(named.code()).isEqualTo(2);
    assertThat(named.errLines())
        .containsExactly("cairn: no pipeline file " + dir.resolve("nope.yaml"));
    assertThat(home.resolve("cairn.db")).doesNotExist();
  }

  @Test
  void paramsNeedATaskAndARepositoryTaskTakesNone() {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    CliRun noTask = cairn(home, "run", "-f", chain.file.toString(), "--param", "x=1");
    assertThat(noTask.code()).isEqualTo(2);
    assertThat(noTask.errLines().get(0)).isEqualTo("cairn: --param needs a TASK");
    CliRun none = cairn(home, "run", "-f", chain.file.toString(), "s1", "--param", "x=1");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.errLines().get(0)).contains("task 's1' takes no parameters");
    CliRun unknown = cairn(home, "run", "-f", chain.file.toString(), "s9");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.errLines().get(0)).contains("no task 's9'");
  }

  @Test
  void namesThatAreNotJobKeysAreWarnedOnceAtTheEndOfRunAndStatus() throws Exception {
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    chain.fix();
    Files.writeString(dir.resolve("in/my notes.txt"), "skipped\n");

    CliRun run = cairn(home, "run", "-f", chain.file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("warning: files(")
        .contains("'my notes' is not a valid job key");
    assertThat(chain.takeLaunches()).hasSize(5);

    CliRun status = cairn(home, "status", "-f", chain.file.toString());
    assertThat(status.errLines()).contains("home: " + home + " (--home)");
    // On another state store, status names it on a line of its own ("store: ...").
    assertThat(
            status.errLines().stream()
                .filter(l -> !l.startsWith("home: ") && !l.startsWith("store: ")))
        .singleElement()
        .asString()
        .contains("'my notes' is not a valid job key");
    CliRun json = cairn(home, "run", "-f", chain.file.toString(), "--json");
    assertThat(json.json().get("warnings").get(0).asText()).contains("'my notes'");
  }

  static Map<String, Long> launchedPerTask(JsonNode summary) {
    Map<String, Long> m = new LinkedHashMap<>();
    summary.get("tasks").forEach(t -> m.put(t.get("task").asText(), t.get("launched").asLong()));
    return m;
  }
}
