package io.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's progress counts done of total per task, across runs and through fan-out. */
class TaskProgressTest {
  @TempDir Path tmp;

  private static final String YAML =
      """
      pipeline: prog
      repositories:
        in:   {type: files, dir: in, ext: .txt}
        mid:  {type: files, dir: mid, ext: .txt}
        out:  {type: files, dir: out, ext: .txt}
      tasks:
        first:
          script: "cp {{links.in}} {{links.out}}"
          inputs: {in: in}
          outputs: {out: mid}
        second:
          script: "cp {{links.in}} {{links.out}}"
          inputs: {in: mid}
          outputs: {out: out}
      """;

  private TaskProgress lastOf(List<List<TaskProgress>> reports, String task) {
    return reports.get(reports.size() - 1).stream()
        .filter(t -> t.task().equals(task))
        .findFirst()
        .orElseThrow();
  }

  private List<List<TaskProgress>> run(Cairn cairn) {
    List<List<TaskProgress>> reports = new CopyOnWriteArrayList<>();
    Pipeline p = PipelineYaml.parse(YAML, tmp, "cairn.yaml", cairn);
    cairn
        .pipeline(p)
        .run(
            RunOptions.defaults()
                .withWorkers(2)
                .withPoll(Duration.ofMillis(20))
                .withListener(reports::add));
    return reports;
  }

  private void inputs(int from, int to) throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    for (int i = from; i < to; i++) {
      Files.writeString(tmp.resolve("in/k" + i + ".txt"), "x" + i + "\n");
    }
  }

  @Test
  void doneOfTotalCountsJobsCompletedBeforeTheRunAndGrowsWithFanOut() throws Exception {
    inputs(0, 4);
    try (Cairn cairn = Cairn.open(tmp.resolve("home"))) {
      List<List<TaskProgress>> first = run(cairn);
      TaskProgress up = lastOf(first, "first");
      TaskProgress down = lastOf(first, "second");
      assertThat(up.done()).isEqualTo(4);
      assertThat(up.total()).isEqualTo(4);
      // the downstream task's keys appear as upstream jobs complete: its total grows to 4
      assertThat(down.done()).isEqualTo(4);
      assertThat(down.total()).isEqualTo(4);
      assertThat(first.stream().map(r -> r.get(1).total()).toList()).as("never shrinks").isSorted();

      inputs(4, 6);
      List<List<TaskProgress>> second = run(cairn);
      TaskProgress again = lastOf(second, "first");
      assertThat(again.launched()).isEqualTo(2);
      assertThat(again.completed()).isEqualTo(2);
      assertThat(again.done()).as("4 from before, 2 now").isEqualTo(6);
      assertThat(again.total()).isEqualTo(6);
      assertThat(lastOf(second, "second").done()).isEqualTo(6);
    }
  }
}
