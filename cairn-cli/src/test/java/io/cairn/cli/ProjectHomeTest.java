package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home belongs to the project: real {@code cairn} processes started in other directories than
 * the project's find the state beside its cairn.yaml, never a new empty home where they run.
 */
class ProjectHomeTest {
  @TempDir Path dir;

  @Test
  void aRunFromAnotherDirectoryWithDashFKeepsItsStateBesideThePipelineFile() throws Exception {
    Path project = project();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    String file = project.resolve("cairn.yaml").toString();

    Child first = cairn(elsewhere, "run", "-f", file, "--json");
    assertThat(first.code).as(first.err).isZero();
    assertThat(first.json().get("completed").asLong()).isEqualTo(3);
    assertThat(project.resolve(".cairn/cairn.db")).isRegularFile();
    assertThat(elsewhere.resolve(".cairn")).doesNotExist();

    Child again = cairn(elsewhere, "run", "-f", file, "--json");
    assertThat(again.code).as(again.err).isZero();
    assertThat(again.json().get("launched").asLong()).as("nothing recomputed").isZero();
    assertThat(elsewhere.resolve(".cairn")).doesNotExist();
  }

  @Test
  void aCommandInASubdirectoryFindsTheProjectFileAboveAndSaysWhichHomeItUses() throws Exception {
    Path project = project();
    Child run = cairn(project, "run");
    assertThat(run.code).as(run.err).isZero();
    Path sub = Files.createDirectories(project.resolve("notebooks/deep"));

    Child status = cairn(sub, "status");
    assertThat(status.code).as(status.err).isZero();
    assertThat(status.out).contains("copy");
    assertThat(status.err)
        .contains("home: " + project.resolve(".cairn").toRealPath())
        .contains("beside " + project.resolve("cairn.yaml").toRealPath());
    assertThat(sub.resolve(".cairn")).doesNotExist();
  }

  @Test
  void dashDashHomeStillWinsOverTheProjectHome() throws Exception {
    Path project = project();
    Path other = dir.resolve("other-home");
    Child run = cairn(project, "--home", other.toString(), "run", "--json");
    assertThat(run.code).as(run.err).isZero();
    assertThat(other.resolve("cairn.db")).isRegularFile();
    assertThat(project.resolve(".cairn")).doesNotExist();
  }

  @Test
  void theDemosHintsFindItsStateFromAnotherDirectory() throws Exception {
    Path where = Files.createDirectories(dir.resolve("where")).toRealPath();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Child demo = cairn(where, "demo");
    assertThat(demo.code).as(demo.err).isZero();
    List<String> lines = demo.out.lines().toList();
    String hint = lines.get(lines.indexOf("next:") + 1).strip();
    assertThat(hint).startsWith("cairn --home " + where.resolve(".cairn") + " status -f ");
    String[] args = hint.substring(0, hint.indexOf('#')).strip().split(" +");

    Child status = cairn(elsewhere, java.util.Arrays.copyOfRange(args, 1, args.length));
    assertThat(status.code).as(status.err).isZero();
    assertThat(status.err).doesNotContain("no Cairn home");
    assertThat(status.out).contains("split").contains("count");
    assertThat(elsewhere.resolve(".cairn")).doesNotExist();
  }

  /** A project directory: cairn.yaml with one script task copying three input files. */
  private Path project() throws IOException {
    Path project = Files.createDirectories(dir.resolve("project")).toRealPath();
    Files.createDirectories(project.resolve("in"));
    for (int i = 0; i < 3; i++) {
      Files.writeString(project.resolve("in/d" + i + ".txt"), "doc " + i + "\n");
    }
    Files.writeString(
        project.resolve("cairn.yaml"),
        """
        pipeline: proj
        repositories:
          in:  {type: files, dir: in, ext: .txt}
          out: {type: files, dir: out, ext: .txt}
        tasks:
          copy:
            script: "cp {{links.in}} {{links.out}}"
            inputs: {in: in}
            outputs: {out: out}
        """);
    return project;
  }

  private record Child(int code, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  /** Runs a real {@code cairn} JVM in {@code cwd}, without $CAIRN_HOME, to its end. */
  private Child cairn(Path cwd, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("CAIRN_HOME");
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("cairn " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Child(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
