package io.cairn.cli;

import io.cairn.Status;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.TaskStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = "Run the example pipeline wordfreq on generated documents (run it twice).",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Copies the example pipeline (cairn.yaml and its sh scripts) to <home>/demo/wordfreq/,"
            + " writes "
            + DemoDocuments.COUNT
            + " small documents to its docs/ (once), and runs"
            + " it: split each document into paragraphs, count each paragraph's words, keep its"
            + " top words. Three documents are malformed on purpose, so some jobs end aborted:"
            + " the demo shows how to find out why. A second run launches nothing new.")
final class DemoCommand implements Callable<Integer> {
  static final String EXAMPLE = "wordfreq";

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "2",
      description = "Jobs running at once (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Override
  public Integer call() throws IOException {
    if (workers < 1 || workers > 1024) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be 1 to 1024, got " + workers);
    }
    Output o = Output.of(spec);
    Path dir = main.home().resolve("demo").resolve(EXAMPLE);
    ExampleFiles.copy(EXAMPLE, dir);
    DemoDocuments.ensure(dir.resolve("docs"));
    Path file = dir.resolve(PipelineFileOption.DEFAULT_NAME);
    try (StopOnSignal stop = new StopOnSignal();
        PipelineSession s = PipelineSession.open(main, file)) {
      o.note(o.paint("faint", "running " + file + " on " + dir.resolve("docs")));
      PipelineRun.Result r =
          PipelineRun.execute(main, s, RunOptions.defaults().withWorkers(workers), o, stop);
      if (r.interrupted()) {
        return RunCommand.verdict(r, o);
      }
      RunReport.print(s.pipeline().name(), r.summary(), o);
      List<TaskStatus> status = s.runner().status();
      long aborted = status.stream().mapToLong(t -> t.jobs().count(Status.ABORTED)).sum();
      if (r.summary().launched() == 0) {
        o.println(
            "nothing new to launch: every job is completed"
                + (aborted > 0 ? ", and the " + aborted + " aborted on purpose stay aborted" : ""));
      }
      o.println("");
      PipelineStatusView.print(s, status, o);
      o.println("");
      DemoHints.print(main, s, file, aborted, o);
    }
    return ErrorHandler.OK;
  }
}
