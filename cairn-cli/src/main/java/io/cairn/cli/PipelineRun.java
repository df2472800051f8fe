package io.cairn.cli;

import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;

/** One pipeline run with the live progress display, as run and demo do it. */
final class PipelineRun {
  /**
   * What came of it.
   *
   * @param summary what the runner did
   * @param interrupted whether Ctrl-C (or SIGTERM) stopped it
   */
  record Result(RunSummary summary, boolean interrupted) {}

  private PipelineRun() {}

  /** Runs with progress on stderr; returns when the run ends or a signal stopped it. */
  static Result execute(
      Main main, PipelineSession s, RunOptions options, Output o, StopOnSignal stop) {
    RunSummary summary;
    try (RunProgress progress = new RunProgress(main, o)) {
      summary = s.runner().run(options.withListener(progress));
    } catch (RuntimeException e) {
      if (stop.acknowledge()) {
        throw new CommandFailedException("interrupted; run again to resume", e);
      }
      throw e;
    }
    return new Result(summary, stop.acknowledge());
  }
}
