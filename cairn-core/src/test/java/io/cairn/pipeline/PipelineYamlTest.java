package io.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.cairn.Cairn;
import io.cairn.internal.pipeline.repo.BlobRepository;
import io.cairn.internal.pipeline.repo.DirectoryRepository;
import io.cairn.internal.pipeline.repo.FileRepository;
import io.cairn.internal.pipeline.repo.InMemoryRepository;
import io.cairn.internal.pipeline.repo.MetadataRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineYamlTest {
  @TempDir Path tmp;
  private Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(tmp.resolve("home"));
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PipelineYamlTest.class.getResourceAsStream("/yaml/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Pipeline parse(String yaml) {
    return PipelineYaml.parse(yaml, tmp, "cairn.yaml", cairn);
  }

  private String error(String yaml) {
    try {
      parse(yaml);
    } catch (PipelineYamlException e) {
      return e.getMessage();
    }
    return fail("expected an error");
  }

  private static PipelineYamlException thrown(Runnable r) {
    try {
      r.run();
    } catch (PipelineYamlException e) {
      return e;
    }
    return fail("expected a PipelineYamlException");
  }

  /** A valid file's text with one line replaced. */
  private static String minimal(String... taskLines) {
    return "pipeline: p\n"
        + "repositories:\n"
        + "  docs: {type: files, dir: docs}\n"
        + "  pages: {type: directories, dir: pages}\n"
        + "tasks:\n"
        + "  split:\n"
        + "    script: echo {{job}}\n"
        + String.join("\n", taskLines)
        + "\n";
  }

  @Test
  void theFullExampleBuildsThePipelineItDescribes() throws IOException {
    Path file = tmp.resolve("project/cairn.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, resource("full.yaml"));

    Pipeline p = PipelineYaml.load(file, cairn);

    Path project = file.getParent().toAbsolutePath();
    assertThat(p.name()).isEqualTo("wordfreq");
    assertThat(p.tasks())
        .extracting(PipelineTask::name)
        .containsExactly("split", "count", "summarize", "archive", "report");

    PipelineTask split = p.requireTask("split");
    assertThat(split.links())
        .extracting(Link::name, Link::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("doc", LinkKind.INPUT),
            org.assertj.core.groups.Tuple.tuple("paragraphs", LinkKind.OUTPUT));
    FileRepository docs = (FileRepository) split.link("doc").orElseThrow().repository();
    assertThat(docs.dir()).isEqualTo(project.resolve("docs"));
    assertThat(docs.path("a")).isEqualTo(project.resolve("docs/a.txt"));
    assertThat(((DirectoryRepository) split.link("paragraphs").orElseThrow().repository()).dir())
        .isEqualTo(project.resolve("out/pages"));
    assertThat(split.maxTries()).isEqualTo(2);
    assertThat(split.script().orElseThrow().command())
        .isEqualTo(
            "mkdir -p {{links.paragraphs}} && split -l 10 {{links.doc}} {{links.paragraphs}}/p-");

    PipelineTask count = p.requireTask("count");
    ScriptSpec countSpec = count.script().orElseThrow();
    assertThat(countSpec.command())
        .isEqualTo("cat {{links.paragraphs}}/p-* | tr -s ' ' '\\n' | sort | uniq -c | sort -rn\n");
    assertThat(countSpec.stdout()).isEqualTo("counts");
    assertThat(countSpec.env())
        .containsEntry("LC_ALL", "C")
        .containsEntry("JOB_LABEL", "count {{job}}")
        .containsEntry("CAIRN_PROJECT_DIR", project.toString());
    assertThat(countSpec.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(count.cpu()).isEqualTo(0.5);
    assertThat(count.memoryMb()).isEqualTo(512);
    assertThat(count.link("paragraphs").orElseThrow().repository())
        .as("one repository object per name")
        .isSameAs(split.link("paragraphs").orElseThrow().repository());

    PipelineTask summarize = p.requireTask("summarize");
    assertThat(summarize.dependencies())
        .extracting(PipelineTask.Dependency::task)
        .containsExactly("count");
    assertThat(summarize.parallelism()).isEqualTo(4);
    assertThat(summarize.backoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(summarize.version()).isEqualTo("2");
    assertThat(summarize.link("meta").orElseThrow().repository())
        .isInstanceOf(MetadataRepository.class);

    PipelineTask archive = p.requireTask("archive");
    assertThat(archive.links())
        .extracting(Link::kind)
        .containsExactly(LinkKind.INPUT, LinkKind.REQUIRED, LinkKind.INHIBITS, LinkKind.OUTPUT);
    assertThat(archive.link("gz").orElseThrow().repository()).isInstanceOf(BlobRepository.class);
    assertThat(archive.link("scratch").orElseThrow().repository())
        .isInstanceOf(InMemoryRepository.class);
    assertThat(archive.script().orElseThrow().stdin()).isEqualTo("counts");
    assertThat(archive.script().orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(archive.maxTries()).isEqualTo(3);

    PipelineTask report = p.requireTask("report");
    assertThat(report.params())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                "date", new PipelineTask.Param(ParamType.DATE, "2024-01-01")),
            org.assertj.core.api.Assertions.entry(
                "top", new PipelineTask.Param(ParamType.INT, null)),
            org.assertj.core.api.Assertions.entry(
                "label", new PipelineTask.Param(ParamType.STRING, null)));
    assertThat(report.parameterized()).isTrue();
    assertThat(report.maxTries()).isEqualTo(1);
    assertThat(report.memoryMb()).isEqualTo(2048);

    assertThat(p.graph().edges())
        .containsExactly(
            new PipelineGraph.Edge("split", "count", "paragraphs"),
            new PipelineGraph.Edge("count", "summarize", "counts"),
            new PipelineGraph.Edge("count", "summarize", "depends"),
            new PipelineGraph.Edge("count", "archive", "counts"),
            new PipelineGraph.Edge("summarize", "archive", "meta"));
  }

  @Test
  void relativePathsResolveAgainstTheBaseDirectoryAndAbsoluteOnesStay() {
    Path elsewhere = tmp.resolve("elsewhere").toAbsolutePath();
    Pipeline p =
        PipelineYaml.parse(
            "pipeline: p\n"
                + "repositories:\n"
                + "  a: {type: files, dir: ../in}\n"
                + "  b: {type: files, dir: '"
                + elsewhere
                + "'}\n"
                + "tasks:\n"
                + "  t: {script: cat, inputs: {a: a}, outputs: {b: b}}\n",
            tmp.resolve("project"),
            "cairn.yaml",
            null);

    PipelineTask t = p.requireTask("t");
    assertThat(((FileRepository) t.link("a").orElseThrow().repository()).dir())
        .isEqualTo(tmp.resolve("in").toAbsolutePath());
    assertThat(((FileRepository) t.link("b").orElseThrow().repository()).dir())
        .isEqualTo(elsewhere);
  }

  @Test
  void theMessageNamesFileLineAndField() {
    PipelineYamlException e = thrown(() -> parse(minimal("    inputs: {doc: dokz}")));

    assertThat(e.getMessage())
        .isEqualTo(
            "cairn.yaml:8: tasks.split.inputs.doc: unknown repository 'dokz'; repositories: docs, pages");
    assertThat(e.file()).isEqualTo("cairn.yaml");
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.field()).isEqualTo("tasks.split.inputs.doc");
    assertThat(e.detail()).isEqualTo("unknown repository 'dokz'; repositories: docs, pages");
    assertThat(e).isInstanceOf(io.cairn.CairnException.class);
  }

  @Test
  void yamlSyntaxErrorsReportTheirLine() {
    assertThat(error("pipeline: p\ntasks:\n  split:\n    script: echo\n   max_tries: 2\n"))
        .isEqualTo(
            "cairn.yaml:5: invalid YAML: expected <block end>, but found '<block mapping start>'"
                + " (while parsing a block mapping on line 3)");
    assertThat(error("pipeline: p\ntasks:\n  split:\n    script: \"echo\n"))
        .isEqualTo(
            "cairn.yaml:4: invalid YAML: found unexpected end of stream"
                + " (while scanning a quoted scalar on line 4)");
    assertThat(error("pipeline: p\ntasks:\n\tsplit: {script: echo}\n"))
        .startsWith("cairn.yaml:3: invalid YAML: ")
        .contains("TAB");
  }

  @Test
  void anEmptyFileOrOneThatIsNotAMappingIsAnErrorAtLineOne() {
    assertThat(error(""))
        .isEqualTo(
            "cairn.yaml:1: the file is empty; expected a mapping with 'pipeline' and 'tasks'");
    assertThat(error("# only a comment\n"))
        .isEqualTo(
            "cairn.yaml:1: the file is empty; expected a mapping with 'pipeline' and 'tasks'");
    assertThat(error("- a\n- b\n"))
        .isEqualTo(
            "cairn.yaml:1: expected a mapping with 'pipeline' and 'tasks' at the top, got a list");
    assertThat(error("just text\n"))
        .isEqualTo(
            "cairn.yaml:1: expected a mapping with 'pipeline' and 'tasks' at the top, got 'just text'");
  }

  @Test
  void unknownKeysListTheAllowedOnes() {
    assertThat(error("pipeline: p\npipelines: q\n"))
        .isEqualTo(
            "cairn.yaml:2: pipelines: unknown key 'pipelines'; allowed: pipeline, repositories, tasks, executors");
    assertThat(error(minimal("    retries: 3")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.retries: unknown key 'retries'; allowed: script, shell, inputs,"
                + " requires, inhibits, outputs, after, params, stdin, stdout, stderr, env, timeout,"
                + " max_tries, parallelism, backoff, cpu, memory, version, executor");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  docs: {type: files, dir: d, extension: .txt}\n"
                    + "tasks: {t: {script: x}}\n"))
        .isEqualTo(
            "cairn.yaml:3: repositories.docs.extension: unknown key 'extension'; allowed for files:"
                + " type, dir, ext");
    assertThat(error(minimal("    params: {n: {type: int, value: 3}}")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.params.n.value: unknown key 'value'; allowed for a parameter:"
                + " type, default");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertThat(error("tasks: {t: {script: x}}\n")).isEqualTo("cairn.yaml:1: missing 'pipeline'");
    assertThat(error("pipeline: p\n")).isEqualTo("cairn.yaml:1: missing 'tasks'");
    assertThat(error("pipeline: p\ntasks: {}\n"))
        .isEqualTo("cairn.yaml:2: tasks: no tasks; declare at least one");
    assertThat(error("pipeline: p\ntasks:\n  split:\n    inputs: {}\n"))
        .isEqualTo("cairn.yaml:3: tasks.split: missing 'script'");
    assertThat(error("pipeline: p\ntasks:\n  split:\n"))
        .isEqualTo("cairn.yaml:3: tasks.split: missing 'script'");
    assertThat(error("pipeline: p\nrepositories:\n  docs: {dir: d}\ntasks: {t: {script: x}}\n"))
        .isEqualTo("cairn.yaml:3: repositories.docs: missing 'type'");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  docs:\n    type: files\ntasks: {t: {script: x}}\n"))
        .isEqualTo("cairn.yaml:3: repositories.docs: missing 'dir'");
  }

  @Test
  void wrongTypesSayWhatWasExpected() {
    assertThat(error(minimal("    max_tries: lots")))
        .isEqualTo("cairn.yaml:8: tasks.split.max_tries: expected a whole number, got 'lots'");
    assertThat(error(minimal("    cpu: many")))
        .isEqualTo("cairn.yaml:8: tasks.split.cpu: expected a number, got 'many'");
    assertThat(error(minimal("    inputs: [docs]")))
        .isEqualTo("cairn.yaml:8: tasks.split.inputs: expected a mapping, got a list");
    assertThat(error(minimal("    env:", "      A: {b: c}")))
        .isEqualTo("cairn.yaml:9: tasks.split.env.A: expected a value, got a mapping");
    assertThat(error("pipeline: p\ntasks:\n  split:\n    script: [echo, hi]\n"))
        .isEqualTo("cairn.yaml:4: tasks.split.script: expected a value, got a list");
  }

  @Test
  void badValuesNameTheRule() {
    assertThat(error("pipeline: my pipeline\ntasks: {t: {script: x}}\n"))
        .isEqualTo(
            "cairn.yaml:1: pipeline: invalid pipeline name 'my pipeline': use 1-128 letters, digits,"
                + " '_', '.' or '-', starting with a letter or digit");
    assertThat(error("pipeline: p\ntasks:\n  bad name: {script: x}\n"))
        .isEqualTo(
            "cairn.yaml:3: tasks.bad name: invalid task name 'bad name': use 1-128 letters, digits,"
                + " '_', '.' or '-', starting with a letter or digit");
    assertThat(error(minimal("    timeout: soon")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.timeout: invalid duration 'soon': use 500ms, 30s, 5m, 2h or"
                + " ISO-8601 (PT30S)");
    assertThat(error(minimal("    timeout: 0s")))
        .isEqualTo("cairn.yaml:8: tasks.split.timeout: must be more than zero");
    assertThat(error(minimal("    memory: 2X")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.memory: invalid size '2X': use 512 (MiB), 512M or 2G");
    assertThat(error(minimal("    max_tries: 0")))
        .isEqualTo("cairn.yaml:8: tasks.split.max_tries: maxTries must be 1 to 1000, got 0");
    assertThat(error(minimal("    env: {A-B: x}")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.env.A-B: invalid environment variable name 'A-B': use letters,"
                + " digits and '_', not starting with a digit");
    assertThat(error(minimal("    outputs: {bad-link: pages}")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.outputs.bad-link: invalid link name 'bad-link': use 1-64"
                + " letters, digits and '_', starting with a letter");
  }

  @Test
  void repositoryProblemsPointAtTheRepository() {
    String tasks = "tasks: {t: {script: x}}\n";
    assertThat(error("pipeline: p\nrepositories:\n  docs: {type: filez, dir: d}\n" + tasks))
        .isEqualTo(
            "cairn.yaml:3: repositories.docs.type: unknown repository type 'filez'; types: files,"
                + " directories, blobs, metadata, memory, collection, catalog, all_of, any_of,"
                + " blocked_by");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  both: {type: all_of, of: [docs, nope]}\n"
                    + "  docs: {type: files, dir: d}\n"
                    + tasks))
        .isEqualTo(
            "cairn.yaml:3: repositories.both.of[1]: unknown repository 'nope'; repositories: both, docs");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  a: {type: any_of, of: [b]}\n"
                    + "  b: {type: blocked_by, repo: a, by: a}\n"
                    + tasks))
        .isEqualTo(
            "cairn.yaml:4: repositories.b.repo: repository 'a' is made of itself: a -> b -> a");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  m: {type: metadata, dir: m, format: xml}\n" + tasks))
        .isEqualTo(
            "cairn.yaml:3: repositories.m.format: unknown format 'xml'; formats: json, yaml");
    assertThat(error("pipeline: p\nrepositories:\n  bad name: {type: memory}\n" + tasks))
        .isEqualTo(
            "cairn.yaml:3: repositories.bad name: invalid repository name 'bad name': use 1-64"
                + " letters, digits, '_', '.' or '-', starting with a letter or digit");
    assertThat(error("pipeline: p\nrepositories:\n  c: {type: collection, name: 'a b'}\n" + tasks))
        .isEqualTo(
            "cairn.yaml:3: repositories.c.name: invalid collection name 'a b': use 1-128 letters,"
                + " digits, '_', '.' or '-', starting with a letter or digit");
    assertThat(
            thrown(
                    () ->
                        PipelineYaml.parse(
                            "pipeline: p\nrepositories:\n  b: {type: blobs, prefix: x}\n" + tasks,
                            tmp,
                            "cairn.yaml",
                            null))
                .getMessage())
        .isEqualTo(
            "cairn.yaml:3: repositories.b.type: this repository type needs an open Cairn home,"
                + " and none was given");
  }

  @Test
  void paramsNeedKnownTypesAndValidDefaults() {
    assertThat(error(minimal("    params: {n: integer}")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.params.n: unknown parameter type 'integer'; types: string, int,"
                + " long, double, boolean, date");
    assertThat(error(minimal("    params:", "      n: {type: int, default: ten}")))
        .isEqualTo("cairn.yaml:9: tasks.split.params.n.default: parameter 'n': 'ten' is not a int");
    assertThat(error(minimal("    params: {2n: int}")))
        .isEqualTo(
            "cairn.yaml:8: tasks.split.params.2n: invalid parameter name '2n': use 1-64 letters,"
                + " digits and '_', starting with a letter");
  }

  @Test
  void stdinAndStdoutMustNameLinksOfTheTask() {
    assertThat(error(minimal("    inputs: {doc: docs}", "    stdin: dok")))
        .isEqualTo("cairn.yaml:9: tasks.split.stdin: the task has no link 'dok'; links: doc");
    assertThat(error(minimal("    inputs: {doc: docs}", "    stdout: doc")))
        .isEqualTo(
            "cairn.yaml:9: tasks.split.stdout: 'doc' is not an output link; output links to files or"
                + " blobs: (none)");
    assertThat(error(minimal("    outputs: {pages: pages}", "    stderr: pages")))
        .startsWith("cairn.yaml:9: tasks.split.stderr: link 'pages' writes to directories(");
  }

  @Test
  void templatesMayUseOnlyKnownNames() {
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  docs: {type: files, dir: d}\ntasks:\n  split:\n"
                    + "    inputs: {doc: docs}\n    script: cat {{links.dokz}}\n"))
        .isEqualTo(
            "cairn.yaml:7: tasks.split.script: unknown name 'links.dokz'; names: job, key, task,"
                + " pipeline, workdir, links.doc");
    assertThat(error(minimal("    env:", "      A: x", "      B: '{{params.n}}'")))
        .isEqualTo(
            "cairn.yaml:10: tasks.split.env.B: unknown name 'params.n'; names: job, key, task,"
                + " pipeline, workdir");
    assertThat(error("pipeline: p\ntasks:\n  t: {script: 'echo {{{job}}}'}\n"))
        .isEqualTo(
            "cairn.yaml:3: tasks.t.script: {{{name}}} and {{&name}} are not offered: every value is"
                + " shell-quoted; write {{name}}");
  }

  @Test
  void builderErrorsAreMappedToTheClosestLine() {
    assertThat(error(minimal("    inputs: {doc: docs}", "    outputs: {doc: pages}")))
        .isEqualTo("cairn.yaml:9: tasks.split.outputs.doc: task 'split' already has a link 'doc'");
    assertThat(error(minimal("    after: [splt]")))
        .isEqualTo("cairn.yaml:8: tasks.split.after[0]: unknown task 'splt'; tasks: split");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  x: {type: memory}\n  y: {type: memory}\ntasks:\n"
                    + "  a: {script: x, inputs: {y: y}, outputs: {x: x}}\n"
                    + "  b: {script: x, inputs: {x: x}, outputs: {y: y}}\n"))
        .isEqualTo("cairn.yaml:6: tasks.a: the pipeline's tasks form a cycle: a -> b -> a");
    assertThat(
            error(
                "pipeline: p\nrepositories:\n  x: {type: memory}\ntasks:\n"
                    + "  a: {script: x, inputs: {x: x}}\n"
                    + "  b: {script: x, after: a}\n"))
        .isEqualTo(
            "cairn.yaml:6: tasks.b: task 'b' runs after 'a' by job key, but only one of them is"
                + " parameterized; use dependsOn with a parameter mapping");
  }

  @Test
  void duplicateKeysAndAliasesAreRejected() {
    assertThat(error("pipeline: p\ntasks:\n  a: {script: x}\n  a: {script: y}\n"))
        .isEqualTo("cairn.yaml:4: tasks.a: duplicate key 'a' (first on line 3)");
    assertThat(error("pipeline: &n p\ntasks:\n  a: {script: *n}\n"))
        .isEqualTo("cairn.yaml:3: tasks.a.script: aliases (*n) are not supported");
  }

  @Test
  void aMissingFileIsReportedWithoutALine() {
    Path missing = tmp.resolve("nope.yaml");
    assertThatThrownBy(() -> PipelineYaml.load(missing, cairn))
        .isInstanceOf(PipelineYamlException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void shortFormsAndNullsAreAccepted() {
    Pipeline p =
        parse(
            "pipeline: p\nrepositories:\n  docs: {type: files, dir: d}\ntasks:\n"
                + "  a:\n    script: cat\n    inputs: {doc: docs}\n    requires:\n    stderr: null\n"
                + "    timeout: 1500ms\n    backoff: 0\n"
                + "  b:\n    script: cat\n    inputs: {doc: docs}\n    after: a\n    memory: 300\n");
    assertThat(p.requireTask("a").script().orElseThrow().timeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(p.requireTask("a").backoff()).isEqualTo(Duration.ZERO);
    assertThat(p.requireTask("b").dependencies())
        .extracting(PipelineTask.Dependency::task)
        .isEqualTo(List.of("a"));
    assertThat(p.requireTask("b").memoryMb()).isEqualTo(300);
  }
}
