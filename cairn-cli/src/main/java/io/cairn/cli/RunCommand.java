package io.cairn.cli;

import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.RunOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = "Run a pipeline: every ready job, until nothing is ready or running.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "Completed jobs are not run again; failed ones are retried with backoff up to the task's"
          + " max_tries, then aborted, and what depends on them waits. Jobs that running jobs"
          + " add to a repository run in the same run. With TASK, only that task and the tasks"
          + " before it; for a parameterized task, the one job its --param values name.",
      "Progress goes to stderr (redrawn on a terminal, a plain line every 5 s otherwise);"
          + " Ctrl-C stops cleanly; run again to resume.",
      "The end of a run names the tasks with aborted or failing jobs, their first keys and"
          + " errors, and the commands that retry them after a fix (cairn reset COLLECTION"
          + " --status aborted, then cairn run).",
      "Exit: 0 when no job was aborted in this run, 1 when some were."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private ProjectCode code;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME",
      description = "With --classpath: the pipeline to run, when the code defines several.")
  private String pipelineName;

  @Parameters(
      arity = "0..1",
      paramLabel = "TASK",
      description = "Only this task (and its upstream).")
  private String task;

  @Mixin private ParamOptions params;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Jobs running at once (default: the number of processors); 0 to schedule only:"
              + " ready jobs are queued for cairn worker processes, and the run ends when they"
              + " have done them.")
  private Integer workers;

  @Option(names = "--forever", description = "Keep watching for new input until Ctrl-C.")
  private boolean forever;

  @Option(
      names = "--verify",
      description =
          "Walk every dependency of a parameterized job, even below one already COMPLETED, and"
              + " rerun what is not COMPLETED or whose version changed (default: a completed job"
              + " is trusted).")
  private boolean verify;

  @Option(
      names = "--json",
      description =
          "Print what the run did as JSON: {\"pipeline\", \"launched\", ..., \"tasks\": [...],"
              + " \"warnings\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (workers != null && (workers < 0 || workers > 10_000)) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be 0 (schedule only) to 10000, got " + workers);
    }
    if (pipelineName != null && !code.present()) {
      throw new ParameterException(spec.commandLine(), "--pipeline needs --classpath");
    }
    if (task == null && !params.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--param needs a TASK");
    }
    Output o = Output.of(spec);
    try (StopOnSignal stop = new StopOnSignal();
        PipelineSession s =
            code.present()
                ? PipelineSession.openCode(main, code, pipelineName)
                : PipelineSession.open(main, pipelineFile)) {
      RunOptions options = RunOptions.defaults().withForever(forever).withVerify(verify);
      if (workers != null) {
        options = options.withWorkers(workers);
      }
      if (task != null) {
        options = withTask(options, s.pipeline().requireTask(task));
      }
      PipelineRun.Result r = PipelineRun.execute(main, s, options, o, stop);
      RunAttention.Report attention = r.interrupted() ? null : RunAttention.of(main, s);
      if (json) {
        o.json(RunReport.json(s.pipeline().name(), r.summary(), r.interrupted(), attention));
      } else {
        RunReport.print(s.pipeline().name(), r.summary(), o, attention);
      }
      return verdict(r, o);
    }
  }

  private RunOptions withTask(RunOptions options, PipelineTask t) {
    RunOptions only = options.withTasks(Set.of(t.name()));
    if (t.parameterized()) {
      return only.withTargets(List.of(new RunOptions.Target(t.name(), params.parse(t))));
    }
    if (!params.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "task '" + t.name() + "' takes no parameters: its jobs are the keys of its inputs");
    }
    return only;
  }

  /** 0 when nothing was aborted in this run; 1, with one line saying where to look, otherwise. */
  static int verdict(PipelineRun.Result r, Output o) {
    if (r.interrupted()) {
      o.note("cairn: interrupted; run again to resume");
      return ErrorHandler.FAILURE;
    }
    long aborted = r.summary().aborted();
    if (aborted > 0) {
      o.note(
          "cairn: "
              + aborted
              + " job"
              + (aborted == 1 ? "" : "s")
              + " aborted in this run; retry them after a fix with cairn reset and cairn run"
              + " (the commands are above), or see why with cairn trace");
      return ErrorHandler.FAILURE;
    }
    return ErrorHandler.OK;
  }
}
