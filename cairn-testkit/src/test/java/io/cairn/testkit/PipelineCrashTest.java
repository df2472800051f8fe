package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.pipeline.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a pipeline runner mid-run: the next run finishes the work, redoing only what was cut.
 */
class PipelineCrashTest {
  @TempDir Path dir;

  @Test
  void aKilledRunIsFinishedByTheNextWithoutRedoingFinishedJobs() throws Exception {
    Path home = dir.resolve("home");
    Path data = dir.resolve("data");
    Path invocations = dir.resolve("invocations.txt");
    PipelineChild.seed(data);
    try (ChildJvm child =
        ChildJvm.start(
            PipelineChild.class, home.toString(), data.toString(), invocations.toString())) {
      child.awaitLine("RUNNING", Duration.ofSeconds(60));
      Await.until(
          "the child to be half way",
          Duration.ofSeconds(60),
          () -> Files.exists(invocations) && TextFiles.lines(invocations).size() >= 50);
      child.kill();
    }
    Set<String> completedAtKill = new HashSet<>();
    Set<String> runningAtKill = new HashSet<>();
    try (Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(1)).open()) {
      for (String task : List.of("step1", "step2", "step3")) {
        for (String key : cairn.idsByStatus("crash." + task, Status.COMPLETED)) {
          completedAtKill.add(task + " " + key);
        }
        for (String key : cairn.idsByStatus("crash." + task, Status.RUNNING)) {
          runningAtKill.add(task + " " + key);
        }
      }
      assertThat(completedAtKill).isNotEmpty();
      assertThat(completedAtKill.size()).isLessThan(3 * PipelineChild.JOBS);
      List<String> before = TextFiles.lines(invocations);
      // The dead runner's leases expire within a second; jobs it held are then taken over.
      Await.until(
          "every job done",
          Duration.ofSeconds(60),
          () -> {
            cairn
                .pipeline(PipelineChild.pipeline(data, invocations))
                .run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));
            return cairn.stats("crash.step3").count(Status.COMPLETED) == PipelineChild.JOBS;
          });
      for (String task : List.of("step1", "step2", "step3")) {
        assertThat(cairn.stats("crash." + task).count(Status.COMPLETED))
            .isEqualTo(PipelineChild.JOBS);
        assertThat(cairn.stats("crash." + task).total()).isEqualTo(PipelineChild.JOBS);
      }
      List<String> after =
          TextFiles.lines(invocations).subList(before.size(), TextFiles.lines(invocations).size());
      for (String job : after) {
        assertThat(completedAtKill)
            .as("finished before the kill, ran again: " + job)
            .doesNotContain(job);
      }
      Map<String, Integer> counts = new HashMap<>();
      TextFiles.lines(invocations).forEach(l -> counts.merge(l, 1, Integer::sum));
      assertThat(counts).hasSize(3 * PipelineChild.JOBS);
      Set<String> startedBeforeKill = new HashSet<>(before);
      counts.forEach(
          (job, n) -> {
            if (runningAtKill.contains(job) && startedBeforeKill.contains(job)) {
              assertThat(n).as(job + " was interrupted mid-run: it ran again").isEqualTo(2);
            } else {
              // finished before the kill, claimed but not started yet, or not reached: once
              assertThat(n).as(job + " ran once").isEqualTo(1);
            }
          });
      assertThat(runningAtKill).as("the kill interrupted something").isNotEmpty();
    }
    HomeInvariants.assertHealthy(home);
  }
}
