package io.cairn.cli;

import io.cairn.pipeline.JobKeys;
import java.util.LinkedHashMap;
import java.util.List;
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
    name = "rm",
    description = "Delete jobs' outputs and status, so the next run computes them again.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Removes the jobs' keys from the task's output links, their job directory (params.json,"
            + " log, outputs) and their status. With -r, the same keys in every task downstream"
            + " too. Inputs are never touched.")
final class RmCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;

  @Parameters(index = "0", paramLabel = "TASK", description = "The task.")
  private String task;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "JOB", description = "Job keys.")
  private List<String> jobs = List.of();

  @Option(
      names = {"-r", "--downstream"},
      description = "Also remove the same keys in every task after this one.")
  private boolean downstream;

  @Option(names = "--all", description = "Every job of the task (instead of JOB...).")
  private boolean all;

  @Option(names = "--json", description = "Print JSON: {\"task\", \"removed\", \"downstream\"}.")
  private boolean json;

  @Override
  public Integer call() {
    if (all == !jobs.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), all ? "--all and JOB are exclusive" : "give JOB... or --all");
    }
    jobs.forEach(JobKeys::check);
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.open(main, pipelineFile)) {
      String name = s.pipeline().requireTask(task).name();
      long removed =
          all ? s.runner().removeAll(name, downstream) : s.runner().remove(name, jobs, downstream);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("task", name);
        doc.put("removed", removed);
        doc.put("downstream", downstream);
        o.json(doc);
      } else {
        o.println(
            "removed "
                + o.paint("bold", Long.toString(removed))
                + " job"
                + (removed == 1 ? "" : "s")
                + " ("
                + name
                + (downstream ? " and the same keys downstream" : "")
                + ")");
      }
    }
    return ErrorHandler.OK;
  }
}
