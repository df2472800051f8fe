package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineYaml;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    description = "Run the jobs a scheduler queued (cairn run --workers 0), until stopped.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "Any number of workers, in any number of processes sharing the home, take queued jobs of"
          + " the project's pipelines: script tasks from -f FILE, Java tasks from --classpath"
          + " (an io.cairn.CairnDefinitions provider). Each job runs exactly once; a killed"
          + " worker's jobs are taken over by the others.",
      "Ctrl-C or SIGTERM stops cleanly: no new jobs, running ones get --drain seconds to"
          + " finish, the rest go back to the queue.",
      "With --idle-exit a worker also stops on its own once it held no job and found none to"
          + " claim for that long (a worker on a batch system: cairn slurm workers); never while"
          + " it holds a job.",
      "Exit: 0 when stopped cleanly or idle."
    })
final class WorkerCommand implements Callable<Integer> {
  /** The engine's lease when --lease is not given (Cairn.builder()'s default). */
  private static final long DEFAULT_LEASE_SECONDS = 30;

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private ProjectCode code;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Jobs running at once (default: the number of processors).")
  private Integer threads;

  @Option(
      names = "--drain",
      paramLabel = "SECONDS",
      description = "How long running jobs may take to finish once stopped (default: 20).")
  private int drain = 20;

  @Option(
      names = "--collections",
      paramLabel = "NAMES",
      split = ",",
      description =
          "Only these collections (','-separated) of those --classpath registers (default: all;"
              + " 'none' for none).")
  private List<String> onlyCollections;

  @Option(
      names = "--lease",
      paramLabel = "SECONDS",
      description =
          "How long a job's lease lasts unrenewed (default: 30): a lost worker's jobs run"
              + " elsewhere this long after it stopped renewing; renewed every third of it.")
  private Double lease;

  @Option(
      names = "--idle-exit",
      paramLabel = "SECONDS",
      description =
          "Stop (exit 0, with the summary) after this long with no job held and none to claim"
              + " (default: never).")
  private Double idleExit;

  @Option(
      names = "--json",
      description =
          "When stopped, print what the worker did as one JSON document on stdout: {\"stopped\","
              + " \"elapsedMillis\", \"launched\", \"completed\", \"failed\", \"aborted\","
              + " \"tasks\": [{\"task\", \"launched\", \"completed\", \"failed\","
              + " \"aborted\", \"running\"}], \"warnings\"}.")
  private boolean json;

  @Override
  public Integer call() {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1 || n > 10_000) {
      throw new ParameterException(spec.commandLine(), "--threads must be 1 to 10000, got " + n);
    }
    if (drain < 0 || drain > 3_600) {
      throw new ParameterException(
          spec.commandLine(), "--drain must be 0 to 3600 seconds, got " + drain);
    }
    if (!pipelineFile.present() && !code.present()) {
      throw new ParameterException(
          spec.commandLine(),
          "cairn worker needs the project's code: -f cairn.yaml (script tasks) or --classpath"
              + " app.jar (Java tasks, an io.cairn.CairnDefinitions provider)");
    }
    if (lease != null && (!(lease >= 1) || lease > 86_400)) {
      throw new ParameterException(
          spec.commandLine(), "--lease must be 1 to 86400 seconds, got " + lease);
    }
    if (idleExit != null && (!(idleExit >= 1) || idleExit > 86_400 * 365)) {
      throw new ParameterException(
          spec.commandLine(),
          "--idle-exit must be 1 to 31536000 seconds, got " + Durations.seconds(idleExit));
    }
    Output o = Output.of(spec);
    // After the drain the worker interrupts what still runs and waits for it up to a lease (at
    // least 5 s) before it gives it back: the signal's wait must outlast both, or the JVM exits
    // before the stop report is printed.
    long leaseSeconds = lease == null ? DEFAULT_LEASE_SECONDS : (long) Math.ceil(lease);
    long stopWait = drain + Math.max(5, leaseSeconds) + StopOnSignal.WAIT_SECONDS;
    try (StopOnSignal stop = new StopOnSignal(stopWait);
        DeclaredExecutors declared = DeclaredExecutors.of(pipelineFile);
        Cairn cairn =
            main.openOrCreate(
                declared.map(),
                lease == null ? null : Duration.ofMillis(Math.round(lease * 1000)))) {
      List<Pipeline> pipelines = new ArrayList<>();
      if (pipelineFile.present()) {
        pipelines.add(PipelineYaml.load(pipelineFile.require(), cairn));
      }
      if (code.present()) {
        pipelines.addAll(code.pipelines(cairn).values());
      }
      List<String> collections = chosenCollections(cairn.registeredCollections());
      if (pipelines.isEmpty() && collections.isEmpty()) {
        throw new CommandFailedException(
            "the project's code defines no pipelines and registers no collections to work on");
      }
      o.note(
          "cairn worker: "
              + n
              + (n == 1 ? " thread" : " threads")
              + " on "
              + String.join(
                  ", ",
                  java.util.stream.Stream.concat(
                          pipelines.stream().map(Pipeline::name), collections.stream())
                      .toList())
              + "; Ctrl-C or SIGTERM stops"
              + (idleExit == null ? "" : ", and " + Durations.seconds(idleExit) + " s idle"));
      RunSummary summary =
          cairn.work(
              pipelines,
              collections,
              n,
              Duration.ofSeconds(drain),
              idleExit == null ? null : Duration.ofMillis(Math.round(idleExit * 1000)));
      boolean signalled = stop.acknowledge();
      if (!signalled && idleExit != null) {
        o.note("cairn worker: nothing to do for " + Durations.seconds(idleExit) + " s");
      }
      report(summary, signalled, idleExit != null, o);
      return ErrorHandler.OK;
    }
  }

  private List<String> chosenCollections(List<String> registered) {
    if (onlyCollections == null) {
      return registered;
    }
    if (onlyCollections.equals(List.of("none"))) {
      return List.of();
    }
    for (String c : onlyCollections) {
      if (!registered.contains(c)) {
        throw new CommandFailedException(
            "--collections: '"
                + c
                + "' is not registered by the project's code; it registers "
                + registered);
      }
    }
    return List.copyOf(onlyCollections);
  }

  private void report(RunSummary s, boolean signalled, boolean mayIdle, Output o) {
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      // Only a signal (or an interrupt of the thread, embedding) ends a worker's run normally.
      doc.put("stopped", signalled ? "signal" : mayIdle ? "idle" : "interrupted");
      doc.put("elapsedMillis", s.elapsed().toMillis());
      doc.put("launched", s.launched());
      doc.put("completed", s.completed());
      doc.put("failed", s.failed());
      doc.put("aborted", s.aborted());
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (TaskProgress t : s.tasks()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", t.task());
        m.put("launched", t.launched());
        m.put("completed", t.completed());
        m.put("failed", t.failed());
        m.put("aborted", t.aborted());
        m.put("running", t.running());
        tasks.add(m);
      }
      doc.put("tasks", tasks);
      doc.put("warnings", s.warnings());
      o.json(doc);
      return;
    }
    o.note(
        "cairn worker stopped: "
            + s.completed()
            + " completed, "
            + s.failed()
            + " failed ("
            + s.aborted()
            + " aborted) in "
            + Durations.format(s.elapsed().toMillis()));
    s.warnings().forEach(w -> o.note("cairn worker: " + w));
  }
}
