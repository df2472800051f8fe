package io.cairn.internal.client;

import io.cairn.Resource;
import io.cairn.pipeline.JobTrace;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskStatus;
import io.cairn.spi.BlobKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline bound to a read-only client: the views pass through, and what would run or change work
 * is refused before it starts anything (a run would otherwise start its threads first and only fail
 * at its first write).
 */
public final class ReadOnlyPipelineRunner implements PipelineRunner {
  private final PipelineRunner runner;

  public ReadOnlyPipelineRunner(PipelineRunner runner) {
    this.runner = runner;
  }

  @Override
  public Pipeline pipeline() {
    return runner.pipeline();
  }

  @Override
  public List<TaskStatus> status() {
    return runner.status();
  }

  @Override
  public List<JobTrace> trace(String jobKey) {
    return runner.trace(jobKey);
  }

  @Override
  public Set<String> keys(String expression) {
    return runner.keys(expression);
  }

  @Override
  public Repository link(String task, String link) {
    return runner.link(task, link);
  }

  @Override
  public BlobKey jobDirectory(String task, String key) {
    return runner.jobDirectory(task, key);
  }

  @Override
  public RunSummary run(RunOptions options) {
    throw readOnly("run");
  }

  @Override
  public Resource launch(String task, String key, Map<String, ?> params, boolean force) {
    throw readOnly("launch");
  }

  @Override
  public long remove(String task, Collection<String> keys, boolean downstream) {
    throw readOnly("remove");
  }

  @Override
  public long removeAll(String task, boolean downstream) {
    throw readOnly("remove");
  }

  private static IllegalStateException readOnly(String what) {
    return new IllegalStateException(
        "cannot " + what + " through a read-only CairnClient: open the home with Cairn.open");
  }
}
