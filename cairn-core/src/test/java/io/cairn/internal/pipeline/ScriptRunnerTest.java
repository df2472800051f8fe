package io.cairn.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.internal.exec.ExecutorRegistry;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.JobContext;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.ScriptSpec;
import io.cairn.pipeline.StreamRepository;
import io.cairn.pipeline.ValueRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class ScriptRunnerTest {
  @TempDir Path tmp;
  private final ExecutorRegistry executors = new ExecutorRegistry(Map.of());

  @AfterEach
  void closeExecutors() {
    executors.close();
  }

  private static ScriptSpec spec(String command) {
    return ScriptSpec.of(command);
  }

  private static Pipeline pipeline(PipelineTask.Builder task) {
    return Pipeline.builder("p").task(task).build();
  }

  private TestJobContext context(PipelineTask task, String key, Map<String, Object> params)
      throws IOException {
    return new TestJobContext(
        task,
        new Job(task.name(), key, params),
        Files.createDirectories(tmp.resolve("work-" + key)));
  }

  private Map<String, Object> run(Pipeline p, TestJobContext ctx) throws Exception {
    return ScriptRunner.run(p, p.requireTask(ctx.job().task()), ctx, executors);
  }

  @Test
  void stdoutLinesGoToTheLogAndTheResultDescribesTheRun() throws Exception {
    Pipeline p =
        pipeline(PipelineTask.script("t", spec("echo hello {{job}} {{task}} {{pipeline}}")));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    Map<String, Object> result = run(p, ctx);

    assertThat(ctx.lines()).contains("INFO [stdout] hello k1 t p");
    assertThat(result)
        .containsEntry("exitCode", 0)
        .containsEntry("command", "echo hello 'k1' 't' 'p'");
    assertThat(result)
        .containsKeys("startedAt", "endedAt", "durationMs")
        .doesNotContainKey("stdoutBytes");
    assertThat((long) result.get("endedAt")).isGreaterThanOrEqualTo((long) result.get("startedAt"));
  }

  @Test
  void nonZeroExitFailsWithTheLastStderrLines() throws Exception {
    Pipeline p =
        pipeline(
            PipelineTask.script(
                "t", spec("echo starting; echo first >&2; echo 'no such thing' >&2; exit 3")));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    assertThatThrownBy(() -> run(p, ctx))
        .isInstanceOf(ScriptFailedException.class)
        .hasMessage("script exited with code 3: first\nno such thing");
    assertThat(ctx.lines()).contains("INFO [stdout] starting", "WARN [stderr] no such thing");
  }

  @Test
  void onlyTheLastTwentyStderrLinesAreKept() throws Exception {
    Pipeline p =
        pipeline(
            PipelineTask.script(
                "t", spec("for i in $(seq 1 50); do echo line$i >&2; done; exit 1")));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    assertThatThrownBy(() -> run(p, ctx))
        .satisfies(e -> assertThat(e.getMessage().split("\n")).hasSize(20))
        .hasMessageStartingWith("script exited with code 1: line31\n")
        .hasMessageEndingWith("\nline50");
  }

  @Test
  void aScriptPastItsTimeoutIsKilled() throws Exception {
    ScriptSpec s = new ScriptSpec("sleep 10", null, null, null, Map.of(), Duration.ofMillis(200));
    Pipeline p = pipeline(PipelineTask.script("t", s));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());
    long start = System.nanoTime();

    assertThatThrownBy(() -> run(p, ctx))
        .isInstanceOf(ScriptFailedException.class)
        .hasMessage("script timed out after 200ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anInterruptedWorkerKillsTheScriptAndRethrows() throws Exception {
    Pipeline p = pipeline(PipelineTask.script("t", spec("sleep 10")));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());
    CompletableFuture<Thread> worker = new CompletableFuture<>();
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              worker.complete(Thread.currentThread());
              try {
                outcome.complete(run(p, ctx));
              } catch (Throwable e) {
                outcome.completeExceptionally(e);
              }
            });
    long start = System.nanoTime();
    t.start();
    worker.get().interrupt();

    assertThatThrownBy(() -> outcome.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void valuesAreQuotedSoTheyStayOneLiteralWord() throws Exception {
    String evil = "'; rm -rf x; ' $(touch y) `touch z` \"q\" a b";
    Pipeline p =
        pipeline(
            PipelineTask.script("t", spec("printf '[%s]\\n' {{params.v}}"))
                .param("v", ParamType.STRING));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of("v", evil));
    Files.writeString(ctx.workDir().resolve("x"), "keep");

    run(p, ctx);

    assertThat(ctx.lines())
        .contains(
            "INFO running: printf '[%s]\\n' ''\\''; rm -rf x; '\\'' $(touch y) `touch z` \"q\" a b'");
    assertThat(ctx.lines().stream().filter(l -> l.contains("[stdout]")))
        .containsExactly("INFO [stdout] [" + evil + "]");
    assertThat(ctx.workDir().resolve("x")).exists();
    assertThat(ctx.workDir().resolve("y")).doesNotExist();
    assertThat(ctx.workDir().resolve("z")).doesNotExist();
  }

  @Test
  void sectionsSeeTypedParameters() throws Exception {
    Pipeline p =
        pipeline(
            PipelineTask.script(
                    "t",
                    spec("echo run{{#params.verbose}} --verbose{{/params.verbose}} {{params.n}}"))
                .param("verbose", ParamType.BOOLEAN)
                .param("n", ParamType.INT));

    TestJobContext on = context(p.requireTask("t"), "k1", Map.of("verbose", true, "n", 3));
    TestJobContext off = context(p.requireTask("t"), "k2", Map.of("verbose", false, "n", 4));
    run(p, on);
    run(p, off);

    assertThat(on.lines()).contains("INFO [stdout] run --verbose 3");
    assertThat(off.lines()).contains("INFO [stdout] run 4");
  }

  @Test
  void stdinComesFromAFileRepositoryAndStdoutGoesToAnother() throws Exception {
    StreamRepository docs = Repositories.files(tmp.resolve("docs"), ".txt");
    StreamRepository upper = Repositories.files(tmp.resolve("upper"), ".txt");
    docs.write("k1", "a\nb\n".getBytes(StandardCharsets.UTF_8));
    ScriptSpec s = new ScriptSpec("tr a-z A-Z", "doc", "out", null, Map.of(), null);
    Pipeline p = pipeline(PipelineTask.script("t", s).input("doc", docs).output("out", upper));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    Map<String, Object> result = run(p, ctx);

    assertThat(new String(upper.read("k1"), StandardCharsets.UTF_8)).isEqualTo("A\nB\n");
    assertThat(result).containsEntry("stdoutBytes", 4L);
    try (var files = Files.list(ctx.workDir())) {
      assertThat(files).as("the capture file is removed").isEmpty();
    }
  }

  @Test
  void stdinStreamsFromABlobRepositoryAndAMissingBlobFailsBeforeTheScriptRuns() throws Exception {
    StreamRepository docs = Repositories.blobs(io.cairn.spi.BlobStores.inMemory(), "docs");
    docs.write("k1", "x\ny\n".getBytes(StandardCharsets.UTF_8));
    Pipeline p =
        pipeline(
            PipelineTask.script(
                    "t",
                    new ScriptSpec(
                        "wc -l | tr -d ' '; touch ran", "doc", null, null, Map.of(), null))
                .input("doc", docs));

    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());
    run(p, ctx);
    assertThat(ctx.lines()).contains("INFO [stdout] 2");
    TestJobContext missing = context(p.requireTask("t"), "k2", Map.of());

    assertThatThrownBy(() -> run(p, missing))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining("docs/k2");
    assertThat(missing.workDir().resolve("ran")).doesNotExist();
  }

  @Test
  void largeStdinAndStdoutDoNotDeadlock() throws Exception {
    StreamRepository docs = Repositories.files(tmp.resolve("docs"), "");
    byte[] big = new byte[5_000_000];
    java.util.Arrays.fill(big, (byte) 'a');
    docs.write("k1", big);
    ScriptSpec s =
        new ScriptSpec(
            "cat; echo; cat {{links.doc}} >&2; wc -c < {{links.doc}}",
            "doc",
            null,
            null,
            Map.of(),
            null);
    Pipeline p = pipeline(PipelineTask.script("t", s).input("doc", docs));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    run(p, ctx);

    assertThat(ctx.lines()).anyMatch(l -> l.matches("INFO \\[stdout] *5000000"));
  }

  @Test
  void aFailedScriptWritesNothingToItsStdoutLink() throws Exception {
    StreamRepository out = Repositories.files(tmp.resolve("out"), ".txt");
    ScriptSpec s = new ScriptSpec("echo partial; exit 1", null, "out", null, Map.of(), null);
    Pipeline p = pipeline(PipelineTask.script("t", s).output("out", out));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    assertThatThrownBy(() -> run(p, ctx)).hasMessage("script exited with code 1");
    assertThat(out.contains("k1")).isFalse();
  }

  @Test
  void stderrCanBeCapturedAndStillEndsFailureMessages() throws Exception {
    StreamRepository errs = Repositories.files(tmp.resolve("errs"), ".log");
    ScriptSpec s = new ScriptSpec("echo warning >&2; exit 2", null, null, "err", Map.of(), null);
    Pipeline p = pipeline(PipelineTask.script("t", s).output("err", errs));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    assertThatThrownBy(() -> run(p, ctx)).hasMessage("script exited with code 2: warning");
    assertThat(errs.contains("k1")).isFalse();
  }

  @Test
  void fileLinksRenderAsTheJobsPathEvenBeforeTheFileExists() throws Exception {
    StreamRepository out = Repositories.files(tmp.resolve("out"), ".txt");
    Files.createDirectories(tmp.resolve("out"));
    Repository pages = Repositories.directories(tmp.resolve("pages"));
    Pipeline p =
        pipeline(
            PipelineTask.script("t", spec("echo hi > {{links.out}}; mkdir -p {{links.pages}}"))
                .output("out", out)
                .output("pages", pages));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    run(p, ctx);

    assertThat(new String(out.read("k1"), StandardCharsets.UTF_8)).isEqualTo("hi\n");
    assertThat(pages.contains("k1")).isTrue();
  }

  @Test
  void valueRepositoriesFeedStdinAsJsonAndRenderAsCompactJson() throws Exception {
    ValueRepository meta = Repositories.inMemory("meta");
    meta.put("k1", Map.of("a", 1));
    ScriptSpec s =
        new ScriptSpec("cat; echo; echo {{links.meta}}", "meta", null, null, Map.of(), null);
    Pipeline p = pipeline(PipelineTask.script("t", s).input("meta", meta));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of());

    run(p, ctx);

    assertThat(ctx.lines())
        .containsSubsequence("INFO [stdout] {\"a\":1}", "INFO [stdout] {\"a\":1}");
  }

  @Test
  void environmentHasTheSpecsValuesUnquotedAndCairnVariables() throws Exception {
    ScriptSpec s =
        new ScriptSpec(
            "echo \"$GREETING|$CAIRN_JOB|$CAIRN_TASK|$CAIRN_PIPELINE|$CAIRN_PARAM_N\"; test \"$CAIRN_WORKDIR\" = \"$(pwd)\" && echo same",
            null,
            null,
            null,
            Map.of("GREETING", "hi {{job}} {{params.n}}"),
            null);
    Pipeline p = pipeline(PipelineTask.script("t", s).param("n", ParamType.INT));
    TestJobContext ctx = context(p.requireTask("t"), "k1", Map.of("n", 7));

    run(p, ctx);

    assertThat(ctx.lines()).contains("INFO [stdout] hi k1 7|k1|t|p|7", "INFO [stdout] same");
  }

  @Test
  void aTaskLoadedFromYamlRunsWithItsProjectDirectoryAndLinks() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("my project"));
    Files.writeString(project.resolve("count.sh"), "tr -s ' ' '\\n' < \"$1\" | grep -c .\n");
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/k1.txt"), "one two three\nfour\n");
    Pipeline p =
        io.cairn.pipeline.PipelineYaml.parse(
            "pipeline: words\n"
                + "repositories:\n"
                + "  docs: {type: files, dir: docs, ext: .txt}\n"
                + "  counts: {type: files, dir: out/counts}\n"
                + "tasks:\n"
                + "  count:\n"
                + "    script: sh \"$CAIRN_PROJECT_DIR/count.sh\" {{links.doc}}\n"
                + "    inputs: {doc: docs}\n"
                + "    outputs: {n: counts}\n"
                + "    stdout: n\n",
            project,
            "cairn.yaml",
            null);
    TestJobContext ctx = context(p.requireTask("count"), "k1", Map.of());

    run(p, ctx);

    assertThat(Files.readString(project.resolve("out/counts/k1"))).isEqualTo("4\n");
  }

  @Test
  void unknownTemplateNamesFailValidationListingTheAllowedOnes() {
    StreamRepository docs = Repositories.files(tmp.resolve("docs"), "");
    PipelineTask.Builder t =
        PipelineTask.script("t", spec("cat {{links.dokz}}"))
            .input("doc", docs)
            .param("n", ParamType.INT);
    Pipeline p = Pipeline.builder("p").task(t).build();

    assertThatThrownBy(() -> ScriptRunner.validate(p, p.requireTask("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task 't': command: unknown name 'links.dokz'; names: job, key, task, pipeline, workdir, params.n, links.doc");
  }

  @Test
  void unknownNamesInEnvironmentAndSectionsFailToo() {
    Pipeline env =
        pipeline(
            PipelineTask.script(
                "t", new ScriptSpec("true", null, null, null, Map.of("X", "{{nope}}"), null)));
    Pipeline section = pipeline(PipelineTask.script("t", spec("echo {{#params.x}}x{{/params.x}}")));

    assertThatThrownBy(() -> ScriptRunner.validate(env, env.requireTask("t")))
        .hasMessage(
            "task 't': env.X: unknown name 'nope'; names: job, key, task, pipeline, workdir");
    assertThatThrownBy(() -> ScriptRunner.validate(section, section.requireTask("t")))
        .hasMessageStartingWith("task 't': command: unknown name 'params.x'");
  }

  @Test
  void unescapedTagsAreNotOffered() {
    for (String command :
        List.of(
            "echo {{{job}}}",
            "echo {{&job}}",
            "echo {{=<% %>=}} <%& job%>",
            "{{^job}}{{{job}}}{{/job}}")) {
      Pipeline p = pipeline(PipelineTask.script("t", spec(command)));
      assertThatThrownBy(() -> ScriptRunner.validate(p, p.requireTask("t")))
          .as(command)
          .hasMessage(
              "task 't': command: {{{name}}} and {{&name}} are not offered: every value is shell-quoted; write {{name}}");
    }
  }

  @Test
  void partialsAndBadSyntaxAreRejected() {
    Pipeline partial = pipeline(PipelineTask.script("t", spec("echo {{>other}}")));
    Pipeline broken = pipeline(PipelineTask.script("t", spec("echo {{#job}} unclosed")));

    assertThatThrownBy(() -> ScriptRunner.validate(partial, partial.requireTask("t")))
        .hasMessage("task 't': command: partials ({{>other}}) are not supported");
    assertThatThrownBy(() -> ScriptRunner.validate(broken, broken.requireTask("t")))
        .hasMessageStartingWith("task 't': command: invalid template: ");
  }

  @Test
  void stdinStdoutAndStderrMustNameFittingLinks() {
    StreamRepository docs = Repositories.files(tmp.resolve("docs"), "");
    Repository pages = Repositories.directories(tmp.resolve("pages"));
    StreamRepository out = Repositories.files(tmp.resolve("out"), "");
    UnaryOperator<PipelineTask.Builder> links =
        b -> b.input("doc", docs).output("pages", pages).output("out", out);

    assertThat(validationError(links, new ScriptSpec("cat", "nope", null, null, null, null)))
        .isEqualTo("task 't': stdin: the task has no link 'nope'; links: doc, pages, out");
    assertThat(validationError(links, new ScriptSpec("cat", null, "doc", null, null, null)))
        .isEqualTo(
            "task 't': stdout: 'doc' is not an output link; output links to files or blobs: out");
    assertThat(validationError(links, new ScriptSpec("cat", null, null, "nope", null, null)))
        .isEqualTo(
            "task 't': stderr: the task has no link 'nope'; output links to files or blobs: out");
    assertThat(validationError(links, new ScriptSpec("cat", null, "pages", null, null, null)))
        .startsWith("task 't': stdout: link 'pages' writes to directories(")
        .endsWith(
            "), which cannot take a byte stream; use files or blobs; output links to files or blobs: out");
    assertThat(validationError(links, new ScriptSpec("cat", null, "out", "out", null, null)))
        .isEqualTo(
            "task 't': stderr: 'out' is already the stdout link; give stderr a link of its own");
  }

  private static String validationError(UnaryOperator<PipelineTask.Builder> links, ScriptSpec s) {
    Pipeline p = pipeline(links.apply(PipelineTask.script("t", s)));
    try {
      ScriptRunner.validate(p, p.requireTask("t"));
      return "valid";
    } catch (ScriptValidationException e) {
      return e.getMessage();
    }
  }

  /** A job context over a temp work directory, logging into a list. */
  static final class TestJobContext implements JobContext {
    private final PipelineTask task;
    private final Job job;
    private final Path workDir;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, byte[]> outputs = new LinkedHashMap<>();
    private final Logger log =
        new LegacyAbstractLogger() {
          @Override
          protected String getFullyQualifiedCallerName() {
            return null;
          }

          @Override
          protected void handleNormalizedLoggingCall(
              Level level, Marker marker, String msg, Object[] args, Throwable t) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(msg, args));
          }

          @Override
          public boolean isTraceEnabled() {
            return true;
          }

          @Override
          public boolean isDebugEnabled() {
            return true;
          }

          @Override
          public boolean isInfoEnabled() {
            return true;
          }

          @Override
          public boolean isWarnEnabled() {
            return true;
          }

          @Override
          public boolean isErrorEnabled() {
            return true;
          }
        };

    TestJobContext(PipelineTask task, Job job, Path workDir) {
      this.task = task;
      this.job = job;
      this.workDir = workDir;
    }

    List<String> lines() {
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }

    @Override
    public Job job() {
      return job;
    }

    @Override
    public Map<String, Object> params() {
      return job.params();
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public Logger log() {
      return log;
    }

    @Override
    public Repository link(String name) {
      return task.link(name)
          .orElseThrow(() -> new IllegalArgumentException("no link " + name))
          .repository();
    }

    @Override
    public <R extends Repository> R link(String name, Class<R> type) {
      return type.cast(link(name));
    }

    @Override
    public Path workDir() {
      return workDir;
    }

    @Override
    public void writeOutput(String name, byte[] data) {
      outputs.put(name, data.clone());
    }
  }
}
