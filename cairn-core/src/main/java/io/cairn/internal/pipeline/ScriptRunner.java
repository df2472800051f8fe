package io.cairn.internal.pipeline;

import com.samskivert.mustache.Template;
import io.cairn.internal.exec.ExecutorRegistry;
import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.internal.json.Json;
import io.cairn.internal.pipeline.repo.BlobRepository;
import io.cairn.internal.pipeline.repo.DirectoryRepository;
import io.cairn.internal.pipeline.repo.FileRepository;
import io.cairn.internal.pipeline.repo.MetadataRepository;
import io.cairn.pipeline.JobContext;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.LinkKind;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.ScriptSpec;
import io.cairn.pipeline.StreamRepository;
import io.cairn.pipeline.ValueRepository;
import io.cairn.spi.BlobStore;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Renders one job of a script task and runs it through an executor: fills the command template
 * (every value shell-quoted) and the environment, wires stdin/stdout/stderr to links or to the
 * job's log, and hands the resulting {@link WorkSpec.Script} ({@code SHELL -c}, in the job's
 * working directory, with the task's timeout) to the task's executor ({@code local-process} by
 * default), waiting for its outcome on the job's thread.
 *
 * <p>Protocol for outputs: stdout (or stderr) named by a link is captured by the executor in a
 * hidden temp file in the working directory; only when the script exits 0 is the file written to
 * the link's repository (here, on the job's thread, where the attempt's staging lives), and that
 * write is itself staged until the job completes. An output link rendered as {@code {{links.x}}}
 * names the attempt's staging path, published by the job executor on success. A failed or killed
 * script leaves the repositories untouched, so a present key always means a completed job.
 *
 * <p>Threads: the job's thread renders, starts and waits; the executor's threads pump the streams
 * and report the exit (see {@link LocalProcessExecutor}). An interrupt of the waiting thread
 * cancels the execution, which kills the whole process tree.
 */
public final class ScriptRunner {
  private ScriptRunner() {}

  /**
   * Checks a script task's templates (command and env values) when the pipeline is built: every
   * name it uses exists (job, key, task, pipeline, workdir, params.NAME for declared params,
   * links.NAME for the task's links), stdin/stdout/stderr name links of the task (stdin: any link;
   * stdout/stderr: output links to a stream repository), and its shell exists when the task runs on
   * this machine.
   *
   * @throws IllegalArgumentException (a {@link ScriptValidationException}) naming the task, the bad
   *     name and the allowed ones
   */
  public static void validate(Pipeline pipeline, PipelineTask task) {
    ScriptSpec spec =
        task.script()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "task '" + task.name() + "' is not a script task"));
    checkSpec(task, spec);
    ScriptShells.check(task, spec);
  }

  /** What {@link #validate} checks except the shell's presence: cheap enough for every job. */
  private static void checkSpec(PipelineTask task, ScriptSpec spec) {
    ScriptTemplates.check(task, "command", spec.command(), true);
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      String field = "env." + e.getKey();
      if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().contains("\0")) {
        throw new ScriptValidationException(
            task.name(), field, "invalid environment variable name '" + e.getKey() + "'");
      }
      ScriptTemplates.check(task, field, e.getValue(), false);
    }
    if (spec.stdin() != null && task.link(spec.stdin()).isEmpty()) {
      throw new ScriptValidationException(
          task.name(),
          "stdin",
          "the task has no link '" + spec.stdin() + "'; links: " + linkNames(task.links()));
    }
    checkCapture(task, "stdout", spec.stdout());
    checkCapture(task, "stderr", spec.stderr());
    if (spec.stdout() != null && spec.stdout().equals(spec.stderr())) {
      throw new ScriptValidationException(
          task.name(),
          "stderr",
          "'" + spec.stderr() + "' is already the stdout link; give stderr a link of its own");
    }
  }

  private static void checkCapture(PipelineTask task, String field, String linkName) {
    if (linkName == null) {
      return;
    }
    List<Link> streams =
        task.links(LinkKind.OUTPUT).stream()
            .filter(l -> l.repository() instanceof StreamRepository)
            .toList();
    Optional<Link> link = task.link(linkName);
    if (link.isEmpty() || link.get().kind() != LinkKind.OUTPUT) {
      throw new ScriptValidationException(
          task.name(),
          field,
          (link.isEmpty() ? "the task has no link '" : "'")
              + linkName
              + (link.isEmpty() ? "'" : "' is not an output link")
              + "; output links to files or blobs: "
              + linkNames(streams));
    }
    if (!(link.get().repository() instanceof StreamRepository)) {
      throw new ScriptValidationException(
          task.name(),
          field,
          "link '"
              + linkName
              + "' writes to "
              + link.get().repository().describe()
              + ", which cannot take a byte stream; use files or blobs; output links to files or"
              + " blobs: "
              + linkNames(streams));
    }
  }

  private static String linkNames(List<Link> links) {
    return links.isEmpty() ? "(none)" : String.join(", ", links.stream().map(Link::name).toList());
  }

  /**
   * Runs one job of a script task on the job's thread: renders it into a {@link WorkSpec.Script},
   * starts it on the task's executor ({@code local-process} unless the task names another) and
   * waits for the outcome. An interrupt of the waiting thread cancels the execution (the process
   * tree is killed).
   *
   * @return {@code exitCode}, {@code startedAt}, {@code endedAt} (epoch ms), {@code durationMs},
   *     {@code command} (as rendered), and {@code stdoutBytes}/{@code stderrBytes} when captured
   * @throws ScriptFailedException if the script exits non-zero or times out
   * @throws InterruptedException if the calling thread is interrupted (the script is killed)
   */
  public static Map<String, Object> run(
      Pipeline pipeline, PipelineTask task, JobContext ctx, ExecutorRegistry executors)
      throws Exception {
    ScriptSpec spec = task.script().orElseThrow();
    checkSpec(task, spec);
    ResourceExecutor executor = executors.get(task.executor().orElse(LocalProcessExecutor.NAME));
    String key = ctx.job().key();
    Path workDir = ctx.workDir().toAbsolutePath();
    Map<String, Object> model = model(pipeline, task, ctx, key, workDir);
    String command =
        ScriptTemplates.render(
            task, "command", ScriptTemplates.compile(task, "command", spec.command(), true), model);

    Map<String, String> env = new HashMap<>();
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      String field = "env." + e.getKey();
      Template t = ScriptTemplates.compile(task, field, e.getValue(), false);
      env.put(e.getKey(), ScriptTemplates.render(task, field, t, model));
    }
    env.put("CAIRN_JOB", key);
    env.put("CAIRN_TASK", task.name());
    env.put("CAIRN_PIPELINE", pipeline.name());
    env.put("CAIRN_WORKDIR", workDir.toString());
    for (Map.Entry<String, Object> p : ctx.params().entrySet()) {
      env.put(
          "CAIRN_PARAM_" + p.getKey().toUpperCase(Locale.ROOT), ScriptTemplates.text(p.getValue()));
    }

    String tag = pipeline.name() + "." + task.name() + "/" + key;
    Path outFile =
        spec.stdout() == null ? null : workDir.resolve(".cairn-stdout-" + UUID.randomUUID());
    Path errFile =
        spec.stderr() == null ? null : workDir.resolve(".cairn-stderr-" + UUID.randomUUID());
    Link stdinLink = spec.stdin() == null ? null : task.link(spec.stdin()).orElseThrow();
    WorkSpec.Stdin stdin = stdinLink == null ? null : stdinSource(stdinLink, key);
    BlobStore stdinBlobs =
        stdinLink != null && stdinLink.repository() instanceof BlobRepository b ? b.store() : null;
    WorkSpec.Script work =
        new WorkSpec.Script(
            ScriptShells.argv(spec, command),
            env,
            workDir,
            stdin,
            outFile,
            errFile,
            List.of(),
            List.of(),
            spec.timeout(),
            new WorkSpec.Needs(
                (int) Math.ceil(task.cpu()),
                Math.min(task.memoryMb(), Long.MAX_VALUE >> 20) << 20));

    ctx.log().info("running: {}", command);
    long startedAt = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    try {
      Outcome o = await(executor.start(work, new JobAttempt(tag, ctx, workDir, stdinBlobs)));
      long endedAt = System.currentTimeMillis();
      switch (o.kind()) {
        case SUCCEEDED:
          break;
        case TIMED_OUT:
          throw new ScriptFailedException(o.message(), -1);
        case CANCELLED:
          if (Thread.interrupted()) { // interrupted while starting: the start gave up at once
            throw new InterruptedException("the job's thread was interrupted; the script stopped");
          }
          throw new ScriptFailedException(
              "script was cancelled: its executor '" + executor.name() + "' stopped it", -1);
        default:
          if (o.error() instanceof IOException io) { // could not start: a missing input, say
            throw io;
          }
          throw new ScriptFailedException(o.message(), o.exitCode());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("exitCode", 0);
      result.put("startedAt", startedAt);
      result.put("endedAt", endedAt);
      result.put("durationMs", (System.nanoTime() - startNanos) / 1_000_000);
      result.put("command", command);
      if (outFile != null) {
        result.put("stdoutBytes", publish(task, spec.stdout(), key, outFile));
      }
      if (errFile != null) {
        result.put("stderrBytes", publish(task, spec.stderr(), key, errFile));
      }
      ctx.log().info("script exited with code 0 after {} ms", result.get("durationMs"));
      return result;
    } finally {
      if (outFile != null) {
        Files.deleteIfExists(outFile);
      }
      if (errFile != null) {
        Files.deleteIfExists(errFile);
      }
    }
  }

  /** Waits on the job's thread; an interrupt cancels the execution and is rethrown. */
  private static Outcome await(Execution execution) throws InterruptedException {
    try {
      return execution.outcome().get();
    } catch (InterruptedException e) {
      execution.cancel();
      throw e;
    } catch (ExecutionException e) { // an executor that broke its contract
      throw new IllegalStateException("executor failed: " + e.getCause(), e.getCause());
    }
  }

  /** What the executor needs of the job besides its WorkSpec: the log, and where things are. */
  private record JobAttempt(String name, JobContext ctx, Path workDir, BlobStore blobs)
      implements ResourceExecutor.Attempt {
    @Override
    public Callable<Object> body() {
      return null;
    }

    @Override
    public void output(boolean stderr, String line) {
      if (stderr) {
        ctx.log().warn("[stderr] {}", line);
      } else {
        ctx.log().info("[stdout] {}", line);
      }
    }

    @Override
    public void note(String line) {
      ctx.log().warn(line);
    }
  }

  /** The template model: fixed names, typed params, and each link's text for this job. */
  private static Map<String, Object> model(
      Pipeline pipeline, PipelineTask task, JobContext ctx, String key, Path workDir)
      throws IOException {
    Map<String, Object> model = new HashMap<>();
    model.put("job", key);
    model.put("key", key);
    model.put("task", task.name());
    model.put("pipeline", pipeline.name());
    model.put("workdir", workDir.toString());
    Map<String, Object> params = new LinkedHashMap<>();
    for (String name : task.params().keySet()) {
      Object v = ctx.params().get(name);
      if (v != null) {
        params.put(name, v);
      }
    }
    model.put("params", params);
    Map<String, Object> links = new LinkedHashMap<>();
    for (Link l : task.links()) {
      links.put(l.name(), linkText(l, key));
    }
    model.put("links", links);
    return model;
  }

  /**
   * A link as template text: a file or directory repository gives the job's path whether or not it
   * exists yet, as does a metadata repository linked as an output; anything else gives its info for
   * the job, or "" when absent. For an output link the path is the attempt's staging path (under
   * the repository's hidden {@code .staging/} directory): what the script writes there is renamed
   * to the real path only if the script exits 0.
   */
  static String linkText(Link link, String key) throws IOException {
    Repository r = link.repository();
    boolean output = link.kind() == LinkKind.OUTPUT;
    if (r instanceof FileRepository f) {
      return (output ? f.outputPath(key) : f.path(key)).toString();
    }
    if (r instanceof DirectoryRepository d) {
      return (output ? d.outputPath(key) : d.path(key)).toString();
    }
    if (r instanceof MetadataRepository m && output) {
      return m.outputPath(key).toString();
    }
    return r.info(key).map(ScriptTemplates::text).orElse("");
  }

  /**
   * Where stdin comes from, without reading it: a file is handed to the process, a blob streamed
   * from its store, a value rendered as text. A missing key fails here, before anything runs.
   */
  private static WorkSpec.Stdin stdinSource(Link link, String key) throws IOException {
    Repository r = link.repository();
    if (r instanceof FileRepository f) {
      Path p = f.readPath(key);
      if (!Files.isRegularFile(p)) {
        throw new FileNotFoundException(r.describe() + " has no key '" + key + "'");
      }
      return new WorkSpec.Stdin.File(p);
    }
    if (r instanceof BlobRepository b) {
      return b.source(key);
    }
    Optional<Object> info = r.info(key);
    if (info.isEmpty()) {
      throw new FileNotFoundException(
          "stdin link '" + link.name() + "': " + r.describe() + " has no key '" + key + "'");
    }
    return new WorkSpec.Stdin.Text(
        r instanceof ValueRepository ? Json.write(info.get()) : ScriptTemplates.text(info.get()));
  }

  private static long publish(PipelineTask task, String linkName, String key, Path file)
      throws IOException {
    StreamRepository repo = (StreamRepository) task.link(linkName).orElseThrow().repository();
    long size = Files.size(file);
    try (InputStream in = Files.newInputStream(file)) {
      repo.write(key, in);
    }
    return size;
  }

  /** A duration as people write it: 200ms, 30s, 5m, 2h. */
  static String describe(Duration d) {
    return LocalProcessExecutor.describe(d);
  }
}
