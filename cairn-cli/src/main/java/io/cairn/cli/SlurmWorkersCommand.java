package io.cairn.cli;

import io.cairn.postgres.PostgresStore;
import io.cairn.slurm.SlurmWorkers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * {@code cairn slurm workers}: the command line of a {@code cairn worker} with the same code, home
 * and stores, run by this same JVM's {@code java} and class path, submitted as one job array
 * through {@link SlurmWorkers}; or, with {@code --status}, the states of a submitted array.
 */
@Command(
    name = "workers",
    description =
        "Submit N cairn workers as one Slurm job array (sbatch --array=0-(N-1)), each running the"
            + " queued jobs of the project's code until idle.",
    sortOptions = false,
    footerHeading = "%n",
    footer = {
      "Each element runs 'cairn worker' with the same -f/--classpath, --home, --store and --blobs,"
          + " by this java and class path, in this directory, with this environment (sbatch's"
          + " --export=ALL: put PGPASSWORD there, never in --store).",
      "The code, --log-dir and the working directory must be on a file system the compute nodes"
          + " share; a SQLite home serves one host only, so on a cluster use --store"
          + " postgresql://... Queue the work with cairn run --workers 0 or Cairn.submit.",
      "Prints the array job id (stdout; --json for more). Exit: 0 submitted, 1 sbatch failed,"
          + " 2 bad usage."
    })
final class SlurmWorkersCommand implements Callable<Integer> {
  @ParentCommand private SlurmCommand parent;
  @Spec private CommandSpec spec;
  @Mixin private HelpOption help;
  @Mixin private PipelineFileOption pipelineFile;
  @Mixin private ProjectCode code;

  @Option(names = "--count", paramLabel = "N", description = "How many workers (1-1000).")
  private Integer count;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Jobs each worker runs at once (default: --cpus, else the node's processors).")
  private Integer threads;

  @Option(
      names = "--collections",
      paramLabel = "NAMES",
      split = ",",
      description = "Only these collections, as cairn worker --collections.")
  private List<String> collections;

  @Option(
      names = "--idle-exit",
      paramLabel = "SECONDS",
      description = "A worker ends after this long with nothing to do (default: 60).")
  private double idleExit = 60;

  @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition.")
  private String partition;

  @Option(
      names = "--time-limit",
      paramLabel = "MINUTES",
      description = "Slurm's --time per worker (default: the partition's).")
  private Integer timeLimit;

  @Option(names = "--cpus", paramLabel = "N", description = "Slurm's --cpus-per-task.")
  private Integer cpus;

  @Option(
      names = "--memory-mb",
      paramLabel = "MB",
      description = "Slurm's --mem per worker; the worker's Java heap is 3/4 of it.")
  private Long memoryMb;

  @Option(
      names = "--log-dir",
      paramLabel = "DIR",
      description = "The batch script and each worker's output (default: HOME/slurm).")
  private Path logDir;

  @Option(
      names = "--status",
      paramLabel = "ARRAYID",
      description = "Instead of submitting: the states of a submitted array's workers (squeue).")
  private String status;

  @Option(names = "--json", description = "Print JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Output o = Output.of(spec);
    if (status != null) {
      return showStatus(o);
    }
    if (count == null || count < 1 || count > SlurmWorkers.MAX_COUNT) {
      throw usage(
          "--count must be 1 to "
              + SlurmWorkers.MAX_COUNT
              + " (one array): how many workers to submit"
              + (count == null ? "" : ", got " + count));
    }
    SlurmWorkers.Builder b = SlurmWorkers.builder().count(count);
    if (partition != null) {
      if (!partition.matches("[A-Za-z0-9_.-]+")) {
        throw usage("--partition must be a slurm partition name, got '" + partition + "'");
      }
      b.partition(partition);
    }
    if (timeLimit != null) {
      if (timeLimit < 1) {
        throw usage("--time-limit must be 1 minute or more, got " + timeLimit);
      }
      b.timeLimit(Duration.ofMinutes(timeLimit));
    }
    if (cpus != null) {
      if (cpus < 1 || cpus > 10_000) {
        throw usage("--cpus must be 1 to 10000, got " + cpus);
      }
      b.cpus(cpus);
    }
    if (memoryMb != null) {
      if (memoryMb < 64) {
        throw usage("--memory-mb must be 64 or more (a worker is a JVM), got " + memoryMb);
      }
      b.memoryMb(memoryMb);
    }
    if (threads != null && (threads < 1 || threads > 10_000)) {
      throw usage("--threads must be 1 to 10000, got " + threads);
    }
    if (!(idleExit >= 1) || idleExit > 86_400 * 365) {
      throw usage("--idle-exit must be 1 to 31536000 seconds, got " + Durations.seconds(idleExit));
    }
    if (!pipelineFile.present() && !code.present()) {
      throw usage(
          "cairn slurm workers needs the project's code: -f cairn.yaml (script tasks) or"
              + " --classpath app.jar (Java tasks, an io.cairn.CairnDefinitions provider)");
    }
    Main main = parent.main;
    Path home = main.home();
    b.command(workerCommand(main, home))
        .logDir(logDir != null ? logDir : home.resolve("slurm"))
        .workDir(Path.of("").toAbsolutePath());
    SlurmWorkers.Submitted s;
    try {
      s = b.submit();
    } catch (IOException e) {
      throw new CommandFailedException("cannot submit the workers: " + e.getMessage(), e);
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("job_id", s.jobId());
      doc.put("count", s.count());
      doc.put("idle_exit_seconds", idleExit);
      doc.put("script", s.script().toString());
      doc.put("output", s.output());
      o.json(doc);
    } else {
      o.println(s.jobId());
      o.note(
          "cairn slurm workers: submitted "
              + s.count()
              + (s.count() == 1 ? " worker" : " workers")
              + " as array job "
              + s.jobId()
              + "; each ends after "
              + Durations.seconds(idleExit)
              + " s idle. Follow: squeue -j "
              + s.jobId()
              + ", cairn ps; output: "
              + s.output());
    }
    return ErrorHandler.OK;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code java -cp <this class path> io.cairn.cli.Main --home ... worker ...}. */
  private List<String> workerCommand(Main main, Path home) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (memoryMb != null) {
      cmd.add("-Xmx" + Math.max(32, memoryMb * 3 / 4) + "m");
    }
    cmd.add("-cp");
    cmd.add(absolute(System.getProperty("java.class.path")));
    cmd.add(Main.class.getName());
    cmd.add("--home");
    cmd.add(home.toString());
    String store = main.storeUrl();
    if (store != null) {
      // What the job script holds is readable on the shared file system: no passwords there. The
      // environment reaches the workers through sbatch, so a URL from $CAIRN_STORE needs no copy.
      if (!store.equals(System.getenv("CAIRN_STORE"))) {
        if (!PostgresStore.redact(store).equals(store)) {
          throw new IllegalArgumentException(
              "--store has a password in it, which the job script would hold: give it in"
                  + " PGPASSWORD or ~/.pgpass instead (the workers get this environment)");
        }
        cmd.add("--store");
        cmd.add(store);
      }
    }
    String blobs = main.blobsLocation();
    if (blobs != null) {
      cmd.add("--blobs");
      cmd.add(blobs.contains("://") ? blobs : Path.of(blobs).toAbsolutePath().toString());
    }
    cmd.add("worker");
    if (pipelineFile.present()) {
      cmd.add("-f");
      cmd.add(pipelineFile.require().toString());
    }
    if (code.present()) {
      for (Path p : code.classpath) {
        if (!Files.exists(p)) {
          throw new IllegalArgumentException("--classpath: no such jar or directory: " + p);
        }
      }
      cmd.add("--classpath");
      cmd.add(absolute(String.join(":", code.classpath.stream().map(Path::toString).toList())));
    }
    if (collections != null) {
      cmd.add("--collections");
      cmd.add(String.join(",", collections));
    }
    Integer t = threads != null ? threads : cpus;
    if (t != null) {
      cmd.add("--threads");
      cmd.add(Integer.toString(t));
    }
    cmd.add("--idle-exit");
    cmd.add(Durations.seconds(idleExit));
    return cmd;
  }

  /** A path list with every entry absolute: the workers start in another directory, maybe. */
  private static String absolute(String pathList) {
    List<String> out = new ArrayList<>();
    for (String p : pathList.split(File.pathSeparator)) {
      if (!p.isEmpty()) {
        out.add(Path.of(p).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private int showStatus(Output o) {
    List<SlurmWorkers.Element> elements;
    try {
      elements = SlurmWorkers.states(status);
    } catch (IOException e) {
      throw new CommandFailedException("cannot read the workers' states: " + e.getMessage(), e);
    }
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SlurmWorkers.Element e : elements) {
        rows.add(Map.of("job_id", e.jobId(), "state", e.state()));
      }
      o.json(Map.of("job_id", status, "workers", rows));
    } else if (elements.isEmpty()) {
      o.note("slurm knows no workers of array job " + status + " (any more)");
    } else {
      elements.forEach(e -> o.println(e.jobId() + "  " + e.state()));
    }
    return ErrorHandler.OK;
  }
}
