package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a runner whose leases are long, then one run right away on the same host: the dead
 * runner's jobs (running and claimed ahead) are taken over at once, not after the lease, and the
 * one run finishes everything.
 */
class PipelineTakeoverTest {
  static final long LEASE_SECONDS = 120;

  @TempDir Path dir;

  @Test
  void oneRunRightAfterAKillTakesOverTheDeadRunnersJobsAndFinishesEverything() throws Exception {
    Path home = dir.resolve("home");
    Path data = dir.resolve("data");
    Path invocations = dir.resolve("invocations.txt");
    PipelineChild.seed(data);
    try (ChildJvm child =
        ChildJvm.start(
            PipelineChild.class,
            home.toString(),
            data.toString(),
            invocations.toString(),
            Long.toString(LEASE_SECONDS))) {
      child.awaitLine("RUNNING", Duration.ofSeconds(60));
      Await.until(
          "the child to be under way",
          Duration.ofSeconds(60),
          () -> Files.exists(invocations) && TextFiles.lines(invocations).size() >= 30);
      child.kill();
    }
    Set<String> completedAtKill = new HashSet<>();
    Set<String> heldAtKill = new HashSet<>();
    try (Cairn cairn =
        Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(LEASE_SECONDS)).open()) {
      for (String task : List.of("step1", "step2", "step3")) {
        cairn
            .idsByStatus("crash." + task, Status.COMPLETED)
            .forEach(k -> completedAtKill.add(task + " " + k));
        cairn
            .idsByStatus("crash." + task, Status.RUNNING)
            .forEach(k -> heldAtKill.add(task + " " + k));
      }
      assertThat(heldAtKill)
          .as("the dead runner held jobs (running or claimed ahead)")
          .isNotEmpty();
      List<String> before = Files.readAllLines(invocations);

      long t0 = System.nanoTime();
      List<String> notes = new ArrayList<>();
      RunOptions options =
          RunOptions.defaults()
              .withWorkers(2)
              .withPoll(Duration.ofMillis(20))
              .withListener(
                  new io.cairn.pipeline.RunListener() {
                    @Override
                    public void onProgress(List<io.cairn.pipeline.TaskProgress> tasks) {}

                    @Override
                    public void onNote(String line) {
                      notes.add(line);
                    }
                  });
      RunSummary summary = cairn.pipeline(PipelineChild.pipeline(data, invocations)).run(options);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      // One run, well within the dead runner's lease: nothing waited for it to expire.
      assertThat(took).isLessThan(Duration.ofSeconds(LEASE_SECONDS / 2));
      assertThat(notes).as("nothing to wait for: its runner is gone").isEmpty();
      assertThat(summary.failed()).isZero();
      for (String task : List.of("step1", "step2", "step3")) {
        assertThat(cairn.stats("crash." + task).count(Status.COMPLETED))
            .as(task)
            .isEqualTo(PipelineChild.JOBS);
        assertThat(cairn.stats("crash." + task).count(Status.RUNNING)).isZero();
      }
      List<String> all = Files.readAllLines(invocations);
      for (String job : all.subList(before.size(), all.size())) {
        assertThat(completedAtKill)
            .as("finished before the kill, ran again: " + job)
            .doesNotContain(job);
      }
      Map<String, Integer> counts = new HashMap<>();
      all.forEach(l -> counts.merge(l, 1, Integer::sum));
      assertThat(counts).hasSize(3 * PipelineChild.JOBS);
      counts.forEach(
          (job, n) ->
              assertThat(n)
                  .as(job)
                  .isEqualTo(heldAtKill.contains(job) && before.contains(job) ? 2 : 1));
    }
    HomeInvariants.assertHealthy(home);
  }
}
