package io.cairn.internal.pipeline;

import com.samskivert.mustache.Template;
import io.cairn.internal.json.Json;
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
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job of a script task: renders the command template (every value shell-quoted), runs
 * {@code /bin/sh -c} in the job's working directory, wires stdin/stdout/stderr to links or to the
 * job's log, and enforces the timeout.
 *
 * <p>Protocol for outputs: stdout (or stderr) named by a link is redirected to a hidden temp file
 * in the working directory; only when the script exits 0 is the file written to the link's
 * repository, and that write is itself staged until the job completes. An output link rendered as
 * {@code {{links.x}}} names the attempt's staging path, published by the job executor on success. A
 * failed or killed script leaves the repositories untouched, so a present key always means a
 * completed job.
 *
 * <p>Threads: the caller's (worker) thread starts the process and waits for it; one daemon thread
 * per piped stream reads it line by line (a full pipe can never stall the script), and one feeds
 * stdin. A timeout, or an interrupt of the waiting thread, kills the whole process tree.
 */
public final class ScriptRunner {
  private static final int STDERR_TAIL = 20;
  private static final long READER_GRACE_MS = 5_000;

  private ScriptRunner() {}

  /**
   * Checks a script task's templates (command and env values) when the pipeline is built: every
   * name it uses exists (job, key, task, pipeline, workdir, params.NAME for declared params,
   * links.NAME for the task's links), and stdin/stdout/stderr name links of the task (stdin: any
   * link; stdout/stderr: output links to a stream repository).
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
   * Runs one job of a script task; called by the runner in a worker thread.
   *
   * @return {@code exitCode}, {@code startedAt}, {@code endedAt} (epoch ms), {@code durationMs},
   *     {@code command} (as rendered), and {@code stdoutBytes}/{@code stderrBytes} when captured
   * @throws ScriptFailedException if the script exits non-zero or times out
   * @throws InterruptedException if the calling thread is interrupted (the script is killed)
   */
  public static Map<String, Object> run(Pipeline pipeline, PipelineTask task, JobContext ctx)
      throws Exception {
    validate(pipeline, task);
    ScriptSpec spec = task.script().orElseThrow();
    String key = ctx.job().key();
    Path workDir = ctx.workDir().toAbsolutePath();
    Map<String, Object> model = model(pipeline, task, ctx, key, workDir);
    String command =
        ScriptTemplates.render(
            task, "command", ScriptTemplates.compile(task, "command", spec.command(), true), model);

    ProcessBuilder pb = new ProcessBuilder(shell(command)).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
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
    pb.redirectOutput(
        outFile == null
            ? ProcessBuilder.Redirect.PIPE
            : ProcessBuilder.Redirect.to(outFile.toFile()));
    pb.redirectError(
        errFile == null
            ? ProcessBuilder.Redirect.PIPE
            : ProcessBuilder.Redirect.to(errFile.toFile()));
    // Opened before the process starts, so a missing input fails the job before anything runs.
    InputStream stdin =
        spec.stdin() == null ? null : stdinData(task.link(spec.stdin()).orElseThrow(), key);

    ctx.log().info("running: {}", command);
    long startedAt = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      if (stdin != null) {
        stdin.close();
      }
      throw e;
    }
    try {
      List<Thread> readers = new ArrayList<>();
      ScriptOutputPump err = null;
      if (outFile == null) {
        readers.add(
            new ScriptOutputPump(process.getInputStream(), l -> ctx.log().info("[stdout] {}", l), 0)
                .start("cairn-script-stdout-" + tag));
      }
      if (errFile == null) {
        err =
            new ScriptOutputPump(
                process.getErrorStream(), l -> ctx.log().warn("[stderr] {}", l), STDERR_TAIL);
        readers.add(err.start("cairn-script-stderr-" + tag));
      }
      feedStdin(process, stdin, "cairn-script-stdin-" + tag);

      Duration timeout = spec.timeout();
      boolean exited;
      if (timeout == null) {
        process.waitFor();
        exited = true;
      } else {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      if (!exited) {
        killTree(process);
        joinAll(readers, 1_000);
        String tail = stderrTail(err, errFile);
        throw new ScriptFailedException(
            "script timed out after " + describe(timeout) + (tail.isEmpty() ? "" : ": " + tail),
            -1);
      }
      if (!joinAll(readers, READER_GRACE_MS)) {
        ctx.log().warn("the script exited but something it started still holds its output open");
      }
      long endedAt = System.currentTimeMillis();
      int code = process.exitValue();
      if (code != 0) {
        String tail = stderrTail(err, errFile);
        throw new ScriptFailedException(
            "script exited with code " + code + (tail.isEmpty() ? "" : ": " + tail), code);
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
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    } finally {
      if (process.isAlive()) {
        killTree(process);
      }
      if (outFile != null) {
        Files.deleteIfExists(outFile);
      }
      if (errFile != null) {
        Files.deleteIfExists(errFile);
      }
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

  private static InputStream stdinData(Link link, String key) throws IOException {
    Repository r = link.repository();
    if (r instanceof StreamRepository s) {
      return s.open(key);
    }
    Optional<Object> info = r.info(key);
    if (info.isEmpty()) {
      throw new FileNotFoundException(
          "stdin link '" + link.name() + "': " + r.describe() + " has no key '" + key + "'");
    }
    String text =
        r instanceof ValueRepository ? Json.write(info.get()) : ScriptTemplates.text(info.get());
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Feeds stdin on its own thread (a script that reads slowly cannot stall the worker); or closes
   * it.
   */
  private static void feedStdin(Process process, InputStream data, String threadName)
      throws IOException {
    OutputStream to = process.getOutputStream();
    if (data == null) {
      to.close();
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = data;
                  OutputStream out = to) {
                in.transferTo(out);
              } catch (IOException e) {
                // The script stopped reading (exited or closed stdin): the rest is not wanted.
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
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

  /** Whether every thread ended within the bound. */
  private static boolean joinAll(List<Thread> threads, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    for (Thread t : threads) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left > 0) {
        t.join(left);
      }
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Kills the script and everything it started (children first seen, so none is orphaned unseen).
   */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** The last stderr lines, joined by newlines: from the reader, or from the capture file. */
  private static String stderrTail(ScriptOutputPump err, Path errFile) {
    List<String> lines = err != null ? err.tail() : fileTail(errFile);
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    return String.join("\n", lines).strip();
  }

  private static List<String> fileTail(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 16_384);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      List<String> lines =
          new ArrayList<>(List.of(new String(buf, StandardCharsets.UTF_8).split("\r?\n")));
      if (n < len && !lines.isEmpty()) {
        lines.remove(0);
      }
      return new ArrayList<>(lines.subList(Math.max(0, lines.size() - STDERR_TAIL), lines.size()));
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }

  /** A duration as people write it: 200ms, 30s, 5m, 2h. */
  static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }

  // A script started from a terminal shares its process group, so Ctrl-C would reach it before
  // the run could stop it, and it would fail and spend an attempt. In a session of its own it
  // only ever stops when the runner kills it. setsid is util-linux, present on Linux systems.
  private static final boolean SETSID =
      java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/setsid"));

  private static List<String> shell(String command) {
    return SETSID
        ? List.of("/usr/bin/setsid", "/bin/sh", "-c", command)
        : List.of("/bin/sh", "-c", command);
  }
}
