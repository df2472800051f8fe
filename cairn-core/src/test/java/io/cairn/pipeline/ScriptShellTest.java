package io.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script tasks name their shell ({@code shell: bash}); sh stays the default. */
class ScriptShellTest {
  @TempDir Path tmp;
  private Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(tmp.resolve("home"));
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  private static String pipeline(String shellLine, String script) {
    return "pipeline: sh\n"
        + "repositories:\n"
        + "  in: {type: files, dir: in, ext: .txt}\n"
        + "  out: {type: files, dir: out, ext: .txt}\n"
        + "tasks:\n"
        + "  t:\n"
        + shellLine
        + "    script: '"
        + script
        + "'\n"
        + "    inputs: {in: in}\n"
        + "    outputs: {out: out}\n"
        + "    max_tries: 1\n";
  }

  private RunSummary run(String yaml) throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Files.writeString(tmp.resolve("in/a.txt"), "x\n");
    Pipeline p = PipelineYaml.parse(yaml, tmp, "cairn.yaml", cairn);
    return cairn
        .pipeline(p)
        .run(RunOptions.defaults().withWorkers(1).withPoll(Duration.ofMillis(20)));
  }

  @Test
  void aBashTaskRunsBashOnlySyntax() throws Exception {
    // arrays and [[ ]] are bash: sh (dash here) would fail on them
    RunSummary r =
        run(
            pipeline(
                "    shell: bash\n",
                "words=(one two); [[ ${#words[@]} -eq 2 ]] && echo ${words[1]} > {{links.out}}"));

    assertThat(r.completed()).as(String.valueOf(r)).isEqualTo(1);
    assertThat(Files.readString(tmp.resolve("out/a.txt"))).isEqualTo("two\n");
  }

  @Test
  void theDefaultShellIsShAndRecordsItsName() throws Exception {
    Pipeline p =
        PipelineYaml.parse(pipeline("", "echo $0 > {{links.out}}"), tmp, "cairn.yaml", cairn);
    assertThat(p.requireTask("t").script().orElseThrow().shell()).isEqualTo("sh");

    RunSummary r = run(pipeline("", "echo $0 > {{links.out}}"));

    assertThat(r.completed()).isEqualTo(1);
    assertThat(Files.readString(tmp.resolve("out/a.txt"))).isEqualTo("/bin/sh\n");
  }

  @Test
  void aShellThatIsNotOnThePathIsAnErrorWhenTheFileIsLoaded() {
    assertThatThrownBy(
            () ->
                PipelineYaml.parse(
                    pipeline("    shell: no-such-shell-9\n", "true"), tmp, "cairn.yaml", cairn))
        .isInstanceOf(PipelineYamlException.class)
        .hasMessageContaining("cairn.yaml:7:")
        .hasMessageContaining("tasks.t.shell")
        .hasMessageContaining("no shell 'no-such-shell-9' on the PATH");
  }

  @Test
  void aShellWithSpacesOrARelativePathIsRefusedWithTheRule() {
    assertThatThrownBy(
            () ->
                PipelineYaml.parse(
                    pipeline("    shell: bash -e\n", "true"), tmp, "cairn.yaml", cairn))
        .isInstanceOf(PipelineYamlException.class)
        .hasMessageContaining("cairn.yaml:7:")
        .hasMessageContaining("must be a program name (sh, bash) or an absolute path");
    assertThatThrownBy(() -> ScriptSpec.of("true").withShell("bin/bash"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 'bin/bash'");
  }

  @Test
  void anAbsoluteShellPathThatDoesNotExistIsAnError() {
    assertThatThrownBy(
            () ->
                PipelineYaml.parse(
                    pipeline("    shell: /nowhere/bash\n", "true"), tmp, "cairn.yaml", cairn))
        .isInstanceOf(PipelineYamlException.class)
        .hasMessageContaining("no executable file /nowhere/bash");
  }
}
