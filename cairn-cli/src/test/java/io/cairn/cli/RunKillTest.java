package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.HomeInvariants;
import io.cairn.testkit.TextFiles;
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
 * {@code kill -9} of a real {@code cairn run}, then a second {@code cairn run} right away on the
 * same host: it takes over the dead runner's jobs at once (not after the 30 s lease), finishes
 * every job, reruns none that had completed, and exits 0 only then.
 */
class RunKillTest {
  static final int JOBS = 20;

  @TempDir Path dir;

  @Test
  void aRunRightAfterKillNineFinishesEveryJobWithoutRerunningCompletedOnes() throws Exception {
    // Well within the dead runner's 30 s lease: its jobs were taken over at once.
    killThenRerun(dir, "", "", Duration.ofSeconds(25));
  }

  /**
   * The scenario, shared with the executors that run it elsewhere ({@link SlurmRunKillTest}): a
   * two-task pipeline of slow script jobs, its {@code cairn run} killed with SIGKILL mid-run, a
   * second run started at once. The rerun must finish within {@code rerunWithin}, complete every
   * job, rerun none completed before the kill, and leave a healthy home.
   *
   * @param executors YAML lines declaring executors (each ending in a newline), or ""
   * @param executor the executor both tasks name, or "" for the default
   */
  static void killThenRerun(Path dir, String executors, String executor, Duration rerunWithin)
      throws Exception {
    String on = executor.isEmpty() ? "" : "\n    executor: " + executor;
    Path home = dir.resolve("home");
    Path invocations = dir.resolve("invocations.txt");
    Files.createDirectories(dir.resolve("in"));
    for (int i = 0; i < JOBS; i++) {
      Files.writeString(dir.resolve(String.format("in/j%02d.txt", i)), "data " + i + "\n");
    }
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        "pipeline: killed\n"
            + executors
            + """
            repositories:
              in:   {type: files, dir: in, ext: .txt}
              mid:  {type: files, dir: mid, ext: .txt}
              out:  {type: files, dir: out, ext: .txt}
            tasks:
              first:
                script: "echo first {{key}} >> %1$s && sleep 0.3 && cp {{links.in}} {{links.out}}"
                inputs: {in: in}
                outputs: {out: mid}%2$s
              second:
                script: "echo second {{key}} >> %1$s && sleep 0.1 && cp {{links.in}} {{links.out}}"
                inputs: {in: mid}
                outputs: {out: out}%2$s
            """
                .formatted(invocations, on));
    try (ChildJvm child =
        ChildJvm.start(
            Main.class,
            "--home",
            home.toString(),
            "run",
            "-f",
            file.toString(),
            "--workers",
            "2")) {
      Await.until(
          "the run to be under way",
          Duration.ofSeconds(60),
          () -> Files.exists(invocations) && TextFiles.lines(invocations).size() >= 8);
      child.kill();
    }
    Set<String> completedAtKill = new HashSet<>();
    try (Cairn cairn = Cairn.open(home)) {
      for (String task : List.of("first", "second")) {
        cairn
            .idsByStatus("killed." + task, Status.COMPLETED)
            .forEach(k -> completedAtKill.add(task + " " + k));
      }
      assertThat(cairn.stats("killed.first").count(Status.RUNNING))
          .as("the killed runner held jobs")
          .isPositive();
    }
    List<String> before = Files.readAllLines(invocations);

    long t0 = System.nanoTime();
    try (ChildJvm again =
        ChildJvm.start(
            Main.class,
            "--home",
            home.toString(),
            "run",
            "-f",
            file.toString(),
            "--workers",
            "2")) {
      assertThat(again.waitFor(Duration.ofSeconds(120))).isZero();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(rerunWithin);

    try (Cairn cairn = Cairn.open(home)) {
      for (String task : List.of("first", "second")) {
        assertThat(cairn.stats("killed." + task).count(Status.COMPLETED)).as(task).isEqualTo(JOBS);
        assertThat(cairn.stats("killed." + task).total()).isEqualTo(JOBS);
      }
    }
    List<String> all = Files.readAllLines(invocations);
    for (String job : all.subList(before.size(), all.size())) {
      assertThat(completedAtKill)
          .as("completed before the kill, ran again: " + job)
          .doesNotContain(job);
    }
    Map<String, Integer> runs = new HashMap<>();
    all.forEach(l -> runs.merge(l, 1, Integer::sum));
    assertThat(runs).hasSize(2 * JOBS);
    for (int i = 0; i < JOBS; i++) {
      assertThat(Files.readString(dir.resolve(String.format("out/j%02d.txt", i))))
          .isEqualTo("data " + i + "\n");
    }
    HomeInvariants.assertHealthy(home);
  }
}
