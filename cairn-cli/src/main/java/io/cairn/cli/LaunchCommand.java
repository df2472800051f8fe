package io.cairn.cli;

import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.PipelineTask;
import java.util.LinkedHashMap;
import java.util.Map;
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
    name = "launch",
    description = "Run one job now, in this process, even if it is completed.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "A job that is not ready (an input missing, something upstream not completed) is refused"
          + " unless --force. For a parameterized task, JOB may be - and the job is named by its"
          + " --param values.",
      "Exit: 0 when the job ends completed, 1 otherwise (its error's first line is printed)."
    })
final class LaunchCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;

  @Parameters(index = "0", paramLabel = "TASK", description = "The task.")
  private String task;

  @Parameters(
      index = "1",
      paramLabel = "JOB",
      description = "The job key (- for a parameterized task).")
  private String job;

  @Mixin private ParamOptions params;

  @Option(names = "--force", description = "Run it even if it is not ready.")
  private boolean force;

  @Option(names = "--json", description = "Print the job as JSON (as cairn show --json does).")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (StopOnSignal stop = new StopOnSignal();
        PipelineSession s = PipelineSession.open(main, pipelineFile)) {
      PipelineTask t = s.pipeline().requireTask(task);
      String key = key(t);
      Map<String, Object> typed = t.parameterized() ? params.parse(t) : Map.of();
      Resource r;
      try {
        r = s.runner().launch(t.name(), key, typed, force);
      } catch (IllegalStateException e) {
        String m = ErrorHandler.oneLine(e.getMessage());
        throw new CommandFailedException(
            m + (force || m.contains("--force") ? "" : " (--force runs it anyway)"), e);
      } finally {
        stop.acknowledge();
      }
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>(ShowCommand.toJson(r));
        doc.put("task", t.name());
        o.json(doc);
      } else {
        print(t, r, o);
      }
      return r.status() == Status.COMPLETED ? ErrorHandler.OK : ErrorHandler.FAILURE;
    }
  }

  private String key(PipelineTask t) {
    if (t.parameterized()) {
      return job.equals("-") ? null : JobKeys.check(job);
    }
    if (!params.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "task '" + t.name() + "' takes no parameters: its jobs are the keys of its inputs");
    }
    if (job.equals("-")) {
      throw new ParameterException(
          spec.commandLine(),
          "JOB may be - only for a parameterized task; '" + t.name() + "' is not");
    }
    return JobKeys.check(job);
  }

  private static void print(PipelineTask t, Resource r, Output o) {
    StringBuilder line = new StringBuilder();
    line.append(o.paint("bold", t.name() + "/" + r.ident()))
        .append("  ")
        .append(o.status(r.status()));
    line.append("  attempts ").append(r.attempts());
    if (r.durationMillis() >= 0) {
      line.append("  ").append(Durations.format(r.durationMillis()));
    }
    o.println(line.toString());
    if (r.status() != Status.COMPLETED && r.error() != null && !r.error().isBlank()) {
      o.println(o.paint("red", "error: ") + ErrorHandler.firstLine(r.error()));
    }
  }
}
