package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Stats;
import io.cairn.pipeline.TaskStatus;
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
    name = "status",
    description = "Counts per status of every collection, or of one; or of a pipeline's tasks.",
    sortOptions = false,
    footerHeading = "%n",
    footer =
        "With -f FILE, or when ./cairn.yaml exists and no COLLECTION is given, shows the"
            + " pipeline: per task its jobs per status, ready and blocked jobs, then the keys of"
            + " every link. Otherwise the collections and durable maps of the home.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;

  @Parameters(arity = "0..1", paramLabel = "COLLECTION", description = "Only this collection.")
  private String collection;

  @Mixin private PipelineFileOption pipelineFile;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"home\", \"collections\": [...], \"holders\": [...], \"maps\":"
              + " [...]}; for a pipeline"
              + " {\"home\", \"pipeline\", \"file\", \"preview\", \"tasks\": [...], \"holders\":"
              + " [...]}.")
  private boolean json;

  @Option(
      names = "--watch",
      description =
          "Keep the table current (redrawn in place; plain lines when not a terminal), with what"
              + " finishes per second, until Ctrl-C.")
  private boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "MS",
      description = "With --watch: milliseconds between looks (default: 1000).")
  private long interval = 1_000;

  @Override
  public Integer call() {
    if (collection != null && pipelineFile.file != null) {
      throw new ParameterException(
          spec.commandLine(), "status takes a COLLECTION or -f FILE, not both");
    }
    if (watch) {
      if (json || collection != null || pipelineFile.file != null) {
        throw new ParameterException(
            spec.commandLine(), "--watch shows the whole home: no COLLECTION, -f or --json");
      }
      if (interval < 50 || interval > 3_600_000) {
        throw new ParameterException(
            spec.commandLine(), "--interval must be 50 to 3600000 ms, got " + interval);
      }
      try (StopOnSignal stop = new StopOnSignal();
          CairnClient cairn = main.openClient()) {
        new StatusWatch(cairn, Output.of(spec), main.interactive(), interval).run();
        stop.acknowledge();
      }
      return ErrorHandler.OK;
    }
    if (collection == null && pipelineFile.present()) {
      return pipelineStatus();
    }
    Output o = Output.of(spec);
    try (CairnClient cairn = main.openClient()) {
      Map<String, Stats> stats;
      if (collection != null) {
        stats = new LinkedHashMap<>();
        stats.put(collection, cairn.stats(collection));
      } else {
        stats = cairn.stats();
      }
      java.util.List<Map<String, Object>> maps =
          collection == null ? MapTable.rows(cairn) : java.util.List.of();
      long now = System.currentTimeMillis();
      List<Holders.WorkerShare> holders = Holders.byWorker(cairn, stats, now);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("home", cairn.home().toString());
        doc.put("collections", StatusTable.json(stats));
        doc.put("holders", holders.stream().map(Holders.WorkerShare::json).toList());
        doc.put("maps", maps);
        o.json(doc);
      } else if (stats.isEmpty() && maps.isEmpty()) {
        o.note("no collections yet in " + cairn.home());
      } else {
        noteHome(o);
        if (!stats.isEmpty()) {
          StatusTable.render(stats, o).forEach(o::println);
        }
        if (!holders.isEmpty()) {
          o.println("");
          Holders.render(holders, now, o).forEach(o::println);
        }
        if (!maps.isEmpty()) {
          if (!stats.isEmpty()) {
            o.println("");
          }
          MapTable.render(maps, o).forEach(o::println);
        }
      }
    }
    return ErrorHandler.OK;
  }

  private int pipelineStatus() {
    Output o = Output.of(spec);
    try (PipelineSession s = PipelineSession.openForReading(main, pipelineFile)) {
      List<TaskStatus> tasks = s.runner().status();
      long now = System.currentTimeMillis();
      List<Holders.WorkerShare> holders = List.of();
      if (s.client() != null) {
        Map<String, Stats> jobs = new LinkedHashMap<>();
        tasks.forEach(t -> jobs.put(t.collection(), t.jobs()));
        holders = Holders.byWorker(s.client(), jobs, now);
      }
      if (json) {
        Map<String, Object> doc = PipelineStatusView.json(s, tasks);
        doc.put("holders", holders.stream().map(Holders.WorkerShare::json).toList());
        o.json(doc);
        return ErrorHandler.OK;
      }
      PipelineStatusView.print(s, tasks, o);
      if (!holders.isEmpty()) {
        o.println("");
        Holders.render(holders, now, o).forEach(o::println);
      }
      noteHome(o);
      if (s.preview()) {
        o.note(
            o.paint(
                "faint",
                "no Cairn home at "
                    + main.home()
                    + " yet: this is what a first 'cairn run' would"
                    + " find"));
      }
    }
    return ErrorHandler.OK;
  }

  /** Which home this is and why, on stderr: a wrong home is the first thing to rule out. */
  private void noteHome(Output o) {
    o.note(o.paint("faint", "home: " + main.home() + " (" + main.homeSource() + ")"));
    if (main.storeShown() != null) {
      o.note(o.paint("faint", "store: " + main.storeShown()));
    }
  }
}
