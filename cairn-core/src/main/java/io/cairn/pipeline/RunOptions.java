package io.cairn.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a pipeline run goes.
 *
 * @param workers jobs running at once across all tasks (default: available processors); 0 to
 *     schedule only: ready jobs are queued (as QUEUED resources carrying their work spec) for
 *     workers in other processes ({@code Cairn.work}, {@code cairn worker}) to run, and the run
 *     ends when they have finished what it queued
 * @param forever keep watching for new input after everything is done (until interrupted)
 * @param poll how often a forever run, or a run waiting for retry backoffs, looks again
 * @param tasks run only these tasks (and the tasks before them); empty: all
 * @param targets parameterized jobs to make COMPLETED, with what they depend on
 * @param cpus the CPU budget script and Java jobs draw from ({@link PipelineTask#cpu()})
 * @param memoryMb the memory budget, MiB ({@link PipelineTask#memoryMb()}); 0: not limited
 * @param listener told of progress about ten times a second
 * @param verify for parameterized targets: walk every dependency even below a COMPLETED job whose
 *     fingerprint matches, and rerun any job found not COMPLETED or with a changed fingerprint
 *     (default: a matching COMPLETED job is trusted, and what it depends on is not looked at)
 */
public record RunOptions(
    int workers,
    boolean forever,
    Duration poll,
    Set<String> tasks,
    List<Target> targets,
    double cpus,
    long memoryMb,
    RunListener listener,
    boolean verify) {

  /**
   * A parameterized job to run.
   *
   * @param task the task's name
   * @param params its parameters (checked against the task's declarations)
   */
  public record Target(String task, Map<String, Object> params) {
    public Target {
      Objects.requireNonNull(task, "task");
      params = params == null ? Map.of() : Map.copyOf(params);
    }
  }

  public RunOptions {
    if (workers < 0 || workers > 10_000) {
      throw new IllegalArgumentException(
          "workers must be 0 (schedule only) to 10000, got " + workers);
    }
    if (poll == null || poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("poll must be positive, got " + poll);
    }
    if (!(cpus > 0)) {
      throw new IllegalArgumentException("cpus must be positive, got " + cpus);
    }
    if (memoryMb < 0) {
      throw new IllegalArgumentException("memoryMb must be 0 (unlimited) or more, got " + memoryMb);
    }
    tasks = tasks == null ? Set.of() : Set.copyOf(tasks);
    targets = targets == null ? List.of() : List.copyOf(targets);
    listener = listener == null ? RunListener.none() : listener;
  }

  /** All tasks, once, with as many workers as processors. */
  public static RunOptions defaults() {
    int n = Runtime.getRuntime().availableProcessors();
    return new RunOptions(
        n, false, Duration.ofMillis(200), Set.of(), List.of(), n, 0, RunListener.none(), false);
  }

  public RunOptions withWorkers(int n) {
    return new RunOptions(n, forever, poll, tasks, targets, cpus, memoryMb, listener, verify);
  }

  public RunOptions withForever(boolean f) {
    return new RunOptions(workers, f, poll, tasks, targets, cpus, memoryMb, listener, verify);
  }

  public RunOptions withPoll(Duration p) {
    return new RunOptions(workers, forever, p, tasks, targets, cpus, memoryMb, listener, verify);
  }

  public RunOptions withTasks(Set<String> t) {
    return new RunOptions(workers, forever, poll, t, targets, cpus, memoryMb, listener, verify);
  }

  public RunOptions withTargets(List<Target> t) {
    return new RunOptions(workers, forever, poll, tasks, t, cpus, memoryMb, listener, verify);
  }

  public RunOptions withBudget(double c, long mb) {
    return new RunOptions(workers, forever, poll, tasks, targets, c, mb, listener, verify);
  }

  public RunOptions withListener(RunListener l) {
    return new RunOptions(workers, forever, poll, tasks, targets, cpus, memoryMb, l, verify);
  }

  /**
   * Whether a run walks every parameterized dependency even below a finished target, rerunning what
   * is not COMPLETED with a matching fingerprint (see {@link RunOptions}).
   */
  public RunOptions withVerify(boolean v) {
    return new RunOptions(workers, forever, poll, tasks, targets, cpus, memoryMb, listener, v);
  }
}
