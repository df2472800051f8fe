package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.collection.CollectionOptions;
import io.cairn.collection.ResourceCollection;
import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.PipelineYaml;
import io.cairn.pipeline.ScriptSpec;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.WorkSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorChoiceTest {
  @TempDir Path tmp;
  private final LocalProcessExecutor processes = new LocalProcessExecutor(2);
  private final AtomicInteger started = new AtomicInteger();
  private Cairn cairn;

  /** A real local-process executor under another name, counting what it starts. */
  private final ResourceExecutor counting =
      new ResourceExecutor() {
        @Override
        public String name() {
          return "counting";
        }

        @Override
        public Execution start(WorkSpec work, Attempt attempt) {
          started.incrementAndGet();
          return processes.start(work, attempt);
        }

        @Override
        public int capacity() {
          return processes.capacity();
        }

        @Override
        public void close() {
          processes.close();
        }
      };

  @BeforeEach
  void open() {
    cairn = Cairn.builder().home(tmp.resolve("home")).executor("counting", counting).open();
  }

  @AfterEach
  void close() {
    cairn.close();
    counting.close(); // registered executors stay the caller's to close
  }

  @Test
  void theBuilderRefusesBadBuiltInDuplicateAndNullExecutors() {
    Cairn.Builder b = Cairn.builder().executor("remote", counting);
    assertThatThrownBy(() -> b.executor("local-process", counting))
        .hasMessage("'local-process' is a built-in executor; register yours under another name");
    assertThatThrownBy(() -> b.executor("remote", counting))
        .hasMessageContaining("an executor named 'remote' is already registered");
    assertThatThrownBy(() -> b.executor("has space", counting))
        .hasMessageContaining("executor name must be 1-64 letters")
        .hasMessageContaining("'has space'");
    assertThatThrownBy(() -> b.executor("x", null)).hasMessage("executor 'x' must not be null");
  }

  @Test
  void aTaskNamingAnUnknownExecutorIsRefusedListingTheKnownOnes() {
    Pipeline p =
        Pipeline.builder("p")
            .task(PipelineTask.script("t", ScriptSpec.of("true")).executor("nope"))
            .build();

    assertThatThrownBy(() -> cairn.pipeline(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task 't': unknown executor 'nope'; known executors: in-process, local-process,"
                + " counting");
  }

  @Test
  void aScriptTaskCannotRunOnTheInProcessExecutor() {
    Pipeline p =
        Pipeline.builder("p")
            .task(PipelineTask.script("t", ScriptSpec.of("true")).executor("in-process"))
            .build();

    assertThatThrownBy(() -> cairn.pipeline(p))
        .hasMessageContaining("task 't' is a script: it cannot run on 'in-process'");
  }

  @Test
  void aScriptTaskRunsOnTheExecutorItNames() {
    Pipeline p =
        Pipeline.builder("p")
            .task(
                PipelineTask.script("t", ScriptSpec.of("echo ran {{job}}"))
                    .param("n", io.cairn.pipeline.ParamType.INT, 1)
                    .executor("counting"))
            .task(
                PipelineTask.script("u", ScriptSpec.of("true"))
                    .param("n", io.cairn.pipeline.ParamType.INT, 1))
            .build();

    Resource t = cairn.pipeline(p).launch("t", null, Map.of("n", 1), true);
    Resource u = cairn.pipeline(p).launch("u", null, Map.of("n", 1), true);

    assertThat(t.status()).isEqualTo(Status.COMPLETED);
    assertThat(u.status()).isEqualTo(Status.COMPLETED);
    assertThat(started).as("only the task that named it ran on it").hasValue(1);
  }

  @Test
  void yamlTasksNameTheirExecutorAndUnknownOnesAreRefused() {
    String yaml = "pipeline: p\ntasks:\n  t:\n    script: 'true'\n    executor: %s\n";
    Pipeline ok = PipelineYaml.parse(String.format(yaml, "counting"), tmp, "cairn.yaml", cairn);
    assertThat(ok.requireTask("t").executor()).contains("counting");

    Pipeline bad = PipelineYaml.parse(String.format(yaml, "slurm"), tmp, "cairn.yaml", cairn);
    assertThatThrownBy(() -> cairn.pipeline(bad))
        .hasMessageContaining("unknown executor 'slurm'; known executors: in-process");
  }

  @Test
  void aCollectionNamesItsExecutorWhichMustRunJavaFunctions() {
    var c =
        cairn.collection(
            "squares",
            CollectionOptions.defaults().executor("in-process"),
            (ident, args, ctx) -> Integer.parseInt(ident) * Integer.parseInt(ident));
    assertThat(c.fetch("7").result()).isEqualTo(49);

    assertThatThrownBy(
            () ->
                cairn.collection(
                    "other", CollectionOptions.defaults().executor("gpu"), (i, a, ctx) -> i))
        .hasMessage(
            "collection 'other': unknown executor 'gpu'; known executors: in-process,"
                + " local-process, counting");
    assertThatThrownBy(
            () ->
                cairn.collection(
                    "scripted",
                    CollectionOptions.defaults().executor("local-process"),
                    (i, a, ctx) -> i))
        .hasMessageContaining("collection 'scripted' is a Java function");
    assertThat(cairn.collections()).doesNotContain("other", "scripted");
  }

  @Test
  void javaBodiesRunOnTheExecutorTheyNameAndTheirWritesAreStillStaged() throws Exception {
    ResourceCollection c =
        cairn.collection(
            "threads",
            CollectionOptions.defaults().executor("in-process"),
            (key, args, ctx) -> Thread.currentThread().getName());
    assertThat((String) c.fetch("a").result()).startsWith("cairn-exec-");
    ResourceCollection here =
        cairn.collection("here", (key, args, ctx) -> Thread.currentThread().getName());
    assertThat((String) here.fetch("a").result()).isEqualTo(Thread.currentThread().getName());

    io.cairn.pipeline.StreamRepository in =
        io.cairn.pipeline.Repositories.files(tmp.resolve("in"), ".txt");
    io.cairn.pipeline.StreamRepository out =
        io.cairn.pipeline.Repositories.files(tmp.resolve("out"), ".txt");
    in.write("ok", "1".getBytes());
    in.write("bad", "2".getBytes());
    Pipeline p =
        Pipeline.builder("p")
            .task(
                PipelineTask.java(
                        "t",
                        (job, ctx) -> {
                          out.write(job.key(), Thread.currentThread().getName().getBytes());
                          if (job.key().equals("bad")) {
                            throw new IllegalStateException("fails after writing");
                          }
                          return Thread.currentThread().getName();
                        })
                    .input("in", in)
                    .output("out", out)
                    .maxTries(1)
                    .executor("in-process"))
            .build();
    cairn.pipeline(p).run(io.cairn.pipeline.RunOptions.defaults().withWorkers(2));
    assertThat(new String(out.read("ok"))).startsWith("cairn-exec-");
    assertThat(out.contains("bad")).as("a failed job's write is not published").isFalse();
    assertThat(cairn.status("p.t", "bad")).isEqualTo(Status.ABORTED);
  }
}
