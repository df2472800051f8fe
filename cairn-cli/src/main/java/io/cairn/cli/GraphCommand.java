package io.cairn.cli;

import io.cairn.pipeline.PipelineGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "graph",
    description = "Which task runs after which: one line per edge, or Graphviz DOT.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "Task B follows task A when B reads a repository A writes (the edge names B's link),"
            + " or depends on it explicitly (\"depends\"). Render the DOT with:"
            + " cairn graph --dot | dot -Tsvg > graph.svg")
final class GraphCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;

  @ArgGroup(exclusive = true)
  private Format format = new Format();

  static final class Format {
    @Option(names = "--dot", description = "Print Graphviz DOT.")
    boolean dot;

    @Option(
        names = "--json",
        description =
            "Print JSON: {\"pipeline\", \"tasks\", \"edges\": [{\"from\", \"to\", \"via\"}]}.")
    boolean json;
  }

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.openForReading(main, pipelineFile)) {
      PipelineGraph g = s.pipeline().graph();
      if (format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("pipeline", s.pipeline().name());
        doc.put("tasks", g.tasks());
        List<Map<String, Object>> edges = new ArrayList<>();
        for (PipelineGraph.Edge e : g.edges()) {
          Map<String, Object> edge = new LinkedHashMap<>();
          edge.put("from", e.from());
          edge.put("to", e.to());
          edge.put("via", e.via());
          edges.add(edge);
        }
        doc.put("edges", edges);
        o.json(doc);
      } else {
        o.out().print(format.dot ? g.toDot() : g.toText());
        o.out().flush();
      }
    }
    return ErrorHandler.OK;
  }
}
