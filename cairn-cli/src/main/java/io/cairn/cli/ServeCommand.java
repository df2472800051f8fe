package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineYaml;
import io.cairn.server.CairnServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    description = "Serve the HTTP API over the home until stopped.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "The API (under /api/v1, described at /api/v1/openapi.json) lists what the home's store"
          + " knows and the project's pipelines (-f FILE, --classpath JARS), and triggers them:"
          + " triggered jobs are queued for workers, and --workers N of them run in this process"
          + " (0: only cairn worker processes run them).",
      "Every call needs 'Authorization: Bearer <token>' (the home's server-token file, created"
          + " owner-only on first start) or the session of the printed one-time login URL.",
      "Without -f, a cairn.yaml here or above, or --classpath, it serves the pipelines that"
          + " cairn demo copied into the home (<home>/demo/*/cairn.yaml).",
      "The dashboard is at the server's root: open the printed login URL in a browser.",
      "Exit: 130 after Ctrl-C, 143 after SIGTERM (the home is closed cleanly first)."
    })
final class ServeCommand implements Callable<Integer> {
  private static final String DEMO_DIR = "demo";

  @ParentCommand private Main main;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private ProjectCode code;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port, 0 for any free one (default: 8080).")
  private int port = 8080;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Address to listen on (default: 127.0.0.1, this machine only).")
  private String bind = "127.0.0.1";

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Triggered jobs run at once in this process; 0 only queues them (default: processors).")
  private Integer workers;

  @Option(
      names = "--open-metrics",
      description = "Serve /metrics without the token (for a Prometheus scraper).")
  private boolean openMetrics;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      description = "An origin (https://host[:port]) allowed cross-origin calls; repeatable.")
  private List<String> corsOrigins = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    int n = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    if (n < 0 || n > 10_000) {
      throw new ParameterException(spec.commandLine(), "--workers must be 0 to 10000, got " + n);
    }
    if (port < 0 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, got " + port);
    }
    Output o = Output.of(spec);
    try (StopOnSignal stop = new StopOnSignal();
        DeclaredExecutors declared = DeclaredExecutors.of(pipelineFile);
        Cairn cairn = main.openOrCreate(declared.map(), null)) {
      List<Pipeline> pipelines = new ArrayList<>();
      if (pipelineFile.present()) {
        pipelines.add(PipelineYaml.load(pipelineFile.require(), cairn));
      }
      if (code.present()) {
        pipelines.addAll(code.pipelines(cairn).values());
      }
      if (pipelines.isEmpty()) {
        pipelines.addAll(demoPipelines(cairn, o));
      }
      CairnServer.Builder b =
          CairnServer.builder(cairn)
              .pipelines(pipelines)
              .port(port)
              .workers(n)
              .metricsOpen(openMetrics);
      try {
        b.bind(bind).corsOrigins(corsOrigins);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      CairnServer started;
      try {
        started = b.start();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof BindException)) {
          throw e;
        }
        throw new ParameterException(
            spec.commandLine(),
            "--port " + port + " is in use on " + bind + "; choose another, or --port 0 for any");
      }
      try (CairnServer server = started) {
        o.note(
            "cairn serve: listening on "
                + server.baseUrl()
                + (server.runsWorker() ? " with " + n + " worker threads" : ", queueing only"));
        o.println("open " + server.loginUrl());
        o.out().flush();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          stop.acknowledge();
        }
      }
      return ErrorHandler.OK;
    }
  }

  /**
   * The pipelines {@code cairn demo} copied into the home, so {@code cairn serve} on the demo's
   * home shows them without naming their file.
   */
  private static List<Pipeline> demoPipelines(Cairn cairn, Output o) {
    Path dir = cairn.home().resolve(DEMO_DIR);
    List<Pipeline> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path file :
          children.map(d -> d.resolve(PipelineFileOption.DEFAULT_NAME)).sorted().toList()) {
        if (Files.isRegularFile(file)) {
          found.add(PipelineYaml.load(file, cairn));
          o.note("cairn serve: serving the demo's pipeline " + file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return found;
  }
}
