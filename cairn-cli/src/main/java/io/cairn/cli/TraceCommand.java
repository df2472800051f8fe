package io.cairn.cli;

import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.JobTrace;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "trace",
    description = "A job key's path through the pipeline: per task its status, links and why.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "For each task: the job's status and attempts, whether each link has the key, and why it"
            + " would or would not start now (ready, done, missing input, blocked by ...). The"
            + " first line of the last error follows the table.")
final class TraceCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;

  @Parameters(arity = "1..*", paramLabel = "JOB", description = "Job keys.")
  private List<String> jobs;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"jobs\": [{\"job\", \"tasks\": [{\"task\", \"status\", \"attempts\","
              + " \"error\", \"links\", \"why\"}]}]}.")
  private boolean json;

  @Override
  public Integer call() {
    jobs.forEach(JobKeys::check);
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.openForReading(main, pipelineFile)) {
      List<Map<String, Object>> docs = new ArrayList<>();
      boolean first = true;
      for (String job : jobs) {
        List<JobTrace> traces = s.runner().trace(job);
        if (json) {
          docs.add(json(s.pipeline(), job, traces));
          continue;
        }
        if (!first) {
          o.println("");
        }
        first = false;
        print(s.pipeline(), job, traces, o);
      }
      if (json) {
        o.json(Map.of("jobs", docs));
      }
    }
    return ErrorHandler.OK;
  }

  private static Map<String, Object> json(Pipeline p, String job, List<JobTrace> traces) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JobTrace t : traces) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("task", t.task());
      row.put("status", t.status().label());
      row.put("attempts", t.attempts());
      row.put("error", t.error());
      row.put("links", orderedLinks(p, t));
      row.put("why", t.why());
      rows.add(row);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("job", job);
    doc.put("tasks", rows);
    return doc;
  }

  private static void print(Pipeline p, String job, List<JobTrace> traces, Output o) {
    o.println(o.paint("bold", "job " + job));
    TextTable table = new TextTable("task", "status", "attempts#", "links", "why");
    for (JobTrace t : traces) {
      StringBuilder links = new StringBuilder();
      orderedLinks(p, t)
          .forEach(
              (name, present) ->
                  links
                      .append(links.length() == 0 ? "" : " ")
                      .append(name)
                      .append(present ? "=yes" : "=no"));
      table.styledRow(
          new String[] {null, Output.styleOf(t.status()), null, "faint", null},
          t.task(),
          t.status().label(),
          t.attempts(),
          links,
          t.why());
    }
    table.render(o).forEach(o::println);
    for (JobTrace t : traces) {
      if (t.error() != null && !t.error().isBlank()) {
        o.println(
            "  "
                + o.paint("red", "error in " + t.task() + ": ")
                + ErrorHandler.firstLine(t.error()));
      }
    }
  }

  /** The trace's links in the task's declaration order. */
  private static Map<String, Boolean> orderedLinks(Pipeline p, JobTrace t) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    p.task(t.task())
        .ifPresent(
            task -> {
              for (Link l : task.links()) {
                if (t.links().containsKey(l.name())) {
                  out.put(l.name(), t.links().get(l.name()));
                }
              }
            });
    t.links().forEach(out::putIfAbsent);
    return out;
  }
}
