package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn run TASK --verify}: a run trusts a COMPLETED parameterized target (luigi checks the
 * final target only); {@code --verify} walks below it and reruns what is not done.
 */
class RunVerifyTest {
  @TempDir Path home;
  @TempDir Path dir;
  Path file;
  Path launches;

  @BeforeEach
  void writeAChainOfThreeParameterizedTasks() throws IOException {
    file = dir.resolve("cairn.yaml");
    launches = dir.resolve("launches.txt");
    StringBuilder y = new StringBuilder("pipeline: daily\ntasks:\n");
    for (String task : List.of("fetch", "clean", "report")) {
      y.append("  ").append(task).append(":\n");
      y.append("    script: \"echo ")
          .append(task)
          .append(" {{params.day}} >> '")
          .append(launches)
          .append("'\"\n");
      y.append("    params: {day: date}\n");
      if (!task.equals("fetch")) {
        y.append("    after: [").append(task.equals("clean") ? "fetch" : "clean").append("]\n");
      }
    }
    Files.writeString(file, y.toString());
  }

  @Test
  void aCompletedTargetIsTrustedAndVerifyRerunsWhatIsMissingBelowIt() throws IOException {
    String f = file.toString();
    CliRun first = cairn(home, "run", "-f", f, "report", "-p", "day=2024-03-01", "--json");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(launches())
        .containsExactly("fetch 2024-03-01", "clean 2024-03-01", "report 2024-03-01");

    List<String> cleanJobs = cairn(home, "ls", "-f", f, "clean").outLines();
    assertThat(cleanJobs).hasSize(1);
    CliRun rm = cairn(home, "rm", "-f", f, "clean", cleanJobs.get(0));
    assertThat(rm.code()).as(rm.err()).isZero();

    CliRun trusted = cairn(home, "run", "-f", f, "report", "-p", "day=2024-03-01", "--json");
    assertThat(trusted.code()).as(trusted.err()).isZero();
    assertThat(trusted.json().get("launched").asLong())
        .as("the completed target is trusted without a walk upstream")
        .isZero();

    CliRun verified =
        cairn(home, "run", "-f", f, "report", "-p", "day=2024-03-01", "--verify", "--json");
    assertThat(verified.code()).as(verified.err()).isZero();
    assertThat(PipelineRunTest.launchedPerTask(verified.json()))
        .as("only the removed link runs again; completed jobs on either side are kept")
        .containsEntry("clean", 1L)
        .containsEntry("fetch", 0L)
        .containsEntry("report", 0L);
    assertThat(launches()).hasSize(4).last().isEqualTo("clean 2024-03-01");

    CliRun again =
        cairn(home, "run", "-f", f, "report", "-p", "day=2024-03-01", "--verify", "--json");
    assertThat(again.json().get("launched").asLong()).as("a verified chain is done").isZero();
  }

  private List<String> launches() throws IOException {
    return Files.readAllLines(launches);
  }
}
