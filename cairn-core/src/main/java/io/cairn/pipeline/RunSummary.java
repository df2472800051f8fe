package io.cairn.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * What a run did.
 *
 * @param tasks per task, in pipeline order
 * @param elapsed wall time
 * @param warnings things a user should look at (names that are not valid job keys, ...)
 */
public record RunSummary(List<TaskProgress> tasks, Duration elapsed, List<String> warnings) {
  public RunSummary {
    tasks = List.copyOf(tasks);
    warnings = List.copyOf(warnings);
  }

  public long launched() {
    return tasks.stream().mapToLong(TaskProgress::launched).sum();
  }

  public long completed() {
    return tasks.stream().mapToLong(TaskProgress::completed).sum();
  }

  public long failed() {
    return tasks.stream().mapToLong(TaskProgress::failed).sum();
  }

  public long aborted() {
    return tasks.stream().mapToLong(TaskProgress::aborted).sum();
  }
}
