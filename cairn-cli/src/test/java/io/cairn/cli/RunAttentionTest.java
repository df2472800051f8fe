package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a run names what needs attention, and the retry commands it prints, run as printed
 * after a fix, finish the job.
 */
class RunAttentionTest {
  @TempDir Path dir;

  @Test
  void anAbortedJobIsNamedWithItsErrorAndThePrintedCommandsRetryIt() throws Exception {
    Path home = dir.resolve("home");
    Path fixed = dir.resolve("fixed");
    Files.createDirectories(dir.resolve("in"));
    for (String k : List.of("good1", "bad", "good2")) {
      Files.writeString(dir.resolve("in/" + k + ".txt"), k + "\n");
    }
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        """
        pipeline: att
        repositories:
          in:  {type: files, dir: in, ext: .txt}
          mid: {type: files, dir: mid, ext: .txt}
          out: {type: files, dir: out, ext: .txt}
        tasks:
          first:
            script: "if [ {{key}} = bad ] && [ ! -f %s ]; then echo 'bad input: no header' >&2; exit 3; fi; cp {{links.in}} {{links.out}}"
            inputs: {in: in}
            outputs: {out: mid}
            max_tries: 1
          second:
            script: "cp {{links.in}} {{links.out}}"
            inputs: {in: mid}
            outputs: {out: out}
        """
            .formatted(fixed));

    CliRun run = cairn(home, "run", "-f", file.toString());
    assertThat(run.code()).isEqualTo(ErrorHandler.FAILURE);
    assertThat(run.out()).contains("needs attention:").contains("first: 1 aborted");
    String keyLine =
        run.outLines().stream().filter(l -> l.strip().startsWith("bad ")).findFirst().orElseThrow();
    assertThat(keyLine).contains("exit");
    List<String> retry = retryCommands(run);
    assertThat(retry)
        .containsExactly(
            "cairn --home " + home + " reset att.first --status aborted",
            "cairn --home " + home + " run -f " + file);

    CliRun again = cairn(home, "run", "-f", file.toString(), "--json");
    JsonNode att = again.json().get("attention");
    assertThat(again.json().get("launched").asLong()).isZero();
    assertThat(att.get("tasks").get(0).get("task").asText()).isEqualTo("first");
    assertThat(att.get("tasks").get(0).get("aborted").asLong()).isEqualTo(1);
    assertThat(att.get("tasks").get(0).get("keys").get(0).get("key").asText()).isEqualTo("bad");
    assertThat(att.get("retry").get(0).asText()).isEqualTo(retry.get(0));
    CliRun nothing = cairn(home, "run", "-f", file.toString());
    assertThat(nothing.outLines().get(0)).contains("nothing to do, but 1 aborted");

    Files.writeString(fixed, "yes");
    for (String command : retry) {
      String[] args = command.substring("cairn ".length()).split(" ");
      CliRun r = CliRun.raw(args);
      assertThat(r.code()).as(command + "\n" + r.out() + r.err()).isZero();
    }
    assertThat(dir.resolve("out/bad.txt")).hasContent("bad");
    CliRun done = cairn(home, "run", "-f", file.toString());
    assertThat(done.code()).isZero();
    assertThat(done.out()).doesNotContain("needs attention");
  }

  /** The lines under "retry the aborted jobs with:". */
  private static List<String> retryCommands(CliRun run) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : run.outLines()) {
      if (l.startsWith("after a fix")) {
        in = true;
      } else if (in && l.startsWith("  cairn")) {
        out.add(l.strip());
      } else if (in) {
        break;
      }
    }
    return out;
  }
}
