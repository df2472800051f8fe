package io.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunTest {
  @TempDir Path home;

  /**
   * How this test opens a Cairn on {@code home}; a subclass in another module runs every test here
   * on another state store by overriding it (each call is another instance on the same state).
   */
  Cairn.Builder builder() {
    return Cairn.builder().home(home);
  }

  @TempDir Path data;
  Cairn cairn;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  @BeforeEach
  void open() {
    cairn = builder().open();
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  int calls(String task) {
    return calls.getOrDefault(task, new AtomicInteger()).get();
  }

  static RunOptions quick() {
    return RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20));
  }

  /** step1 -> step2 -> ... -> step5 over file repositories; step 3 fails while `broken` holds. */
  Pipeline chain(AtomicBoolean broken) {
    Pipeline.Builder p = Pipeline.builder("chain");
    StreamRepository previous = Repositories.files(data.resolve("s0"), ".txt");
    for (int i = 1; i <= 5; i++) {
      String name = "step" + i;
      StreamRepository out = Repositories.files(data.resolve("s" + i), ".txt");
      boolean fragile = i == 3;
      p.task(
          PipelineTask.java(
                  name,
                  (job, ctx) -> {
                    calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    if (fragile && broken.get()) {
                      throw new IllegalStateException("step 3 is broken");
                    }
                    byte[] in = ctx.link("in", StreamRepository.class).read(job.key());
                    ctx.link("out", StreamRepository.class)
                        .write(
                            job.key(),
                            (new String(in, StandardCharsets.UTF_8) + "+" + name)
                                .getBytes(StandardCharsets.UTF_8));
                    return Map.of("bytes", in.length);
                  })
              .input("in", previous)
              .output("out", out)
              .maxTries(2)
              .backoff(Duration.ZERO));
      previous = out;
    }
    return p.build();
  }

  void seed(int n) throws Exception {
    StreamRepository s0 = Repositories.files(data.resolve("s0"), ".txt");
    for (int i = 0; i < n; i++) {
      s0.write("doc" + i, ("d" + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aChainWhoseThirdStepFailsResumesFromThatStepAfterTheFix() throws Exception {
    seed(3);
    AtomicBoolean broken = new AtomicBoolean(true);
    PipelineRunner runner = cairn.pipeline(chain(broken));
    RunSummary first = runner.run(quick());
    assertThat(calls("step1")).isEqualTo(3);
    assertThat(calls("step2")).isEqualTo(3);
    assertThat(calls("step3")).isEqualTo(6); // 2 tries each
    assertThat(calls("step4")).isZero();
    assertThat(first.aborted()).isEqualTo(3);
    assertThat(cairn.stats("chain.step3").count(Status.ABORTED)).isEqualTo(3);
    TaskStatus step4 = runner.status().get(3);
    assertThat(step4.blocked()).isEqualTo(3); // waiting on step 3's failures: blocked, not failed
    assertThat(step4.jobs().count(Status.ERROR) + step4.jobs().count(Status.ABORTED)).isZero();
    assertThat(step4.links().get("in")).isZero();
    assertThat(runner.status().get(4).blocked()).isEqualTo(3);
    assertThat(runner.status().get(1).blocked()).isZero();

    broken.set(false);
    runner.removeAll("step3", false); // the fix is in: forget step 3's failures
    calls.clear();
    RunSummary second = runner.run(quick());
    assertThat(calls("step1")).isZero();
    assertThat(calls("step2")).isZero();
    assertThat(calls("step3")).isEqualTo(3);
    assertThat(calls("step4")).isEqualTo(3);
    assertThat(calls("step5")).isEqualTo(3);
    assertThat(second.completed()).isEqualTo(9);
    assertThat(Files.readString(data.resolve("s5").resolve("doc1.txt")))
        .isEqualTo("d1+step1+step2+step3+step4+step5");

    calls.clear();
    RunSummary third = runner.run(quick());
    assertThat(third.launched()).isZero();
    assertThat(calls).isEmpty();
  }

  @Test
  void jobsAddedByARunningJobArePickedUpInTheSameRun() {
    ValueRepository seeds = Repositories.inMemory("seeds");
    ValueRepository found = Repositories.inMemory("found");
    ValueRepository processed = Repositories.inMemory("processed");
    seeds.put("root", 3);
    Pipeline p =
        Pipeline.builder("fanout")
            .task(
                PipelineTask.java(
                        "discover",
                        (job, ctx) -> {
                          int n =
                              (Integer)
                                  ctx.link("seeds", ValueRepository.class)
                                      .get(job.key())
                                      .orElseThrow();
                          for (int i = 0; i < n; i++) {
                            ctx.link("found", ValueRepository.class).put(job.key() + "-" + i, i);
                          }
                          return n;
                        })
                    .input("seeds", seeds)
                    .output("found", found))
            .task(
                PipelineTask.java(
                        "process",
                        (job, ctx) -> {
                          ctx.link("processed", ValueRepository.class).put(job.key(), "ok");
                          return null;
                        })
                    .input("found", found)
                    .output("processed", processed))
            .build();
    RunSummary r = cairn.pipeline(p).run(quick());
    assertThat(r.completed()).isEqualTo(4);
    assertThat(processed.keys()).containsExactly("root-0", "root-1", "root-2");
    assertThat(p.graph().edges())
        .containsExactly(new PipelineGraph.Edge("discover", "process", "found"));
  }

  @Test
  void parameterizedJobsRunTheirDependenciesAndKeepOutputsUnderTheParameterHash() throws Exception {
    Pipeline p =
        Pipeline.builder("luigi")
            .task(
                PipelineTask.java(
                        "extract",
                        (job, ctx) -> {
                          calls
                              .computeIfAbsent("extract", k -> new AtomicInteger())
                              .incrementAndGet();
                          ctx.writeOutput(
                              "out.txt",
                              ("rows for " + job.params().get("date"))
                                  .getBytes(StandardCharsets.UTF_8));
                          return Map.of("rows", 10);
                        })
                    .param("date", ParamType.DATE))
            .task(
                PipelineTask.java(
                        "report",
                        (job, ctx) -> {
                          calls
                              .computeIfAbsent("report", k -> new AtomicInteger())
                              .incrementAndGet();
                          ctx.log().info("reporting {} days", job.params().get("days"));
                          return Map.of("ok", true);
                        })
                    .param("date", ParamType.DATE)
                    .param("days", ParamType.INT, 2)
                    .dependsOn("extract", job -> Map.of("date", job.params().get("date")))
                    .dependsOn(
                        "extract",
                        job ->
                            Map.of(
                                "date",
                                java.time.LocalDate.parse((String) job.params().get("date"))
                                    .minusDays(1))))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    RunOptions opts =
        quick().withTargets(List.of(new RunOptions.Target("report", Map.of("date", "2024-03-02"))));
    RunSummary r = runner.run(opts);
    assertThat(r.completed()).isEqualTo(3);
    assertThat(calls("extract")).isEqualTo(2);
    String key = Params.hash(Params.check(p.requireTask("extract"), Map.of("date", "2024-03-02")));
    assertThat(cairn.status("luigi.extract", key)).isEqualTo(Status.COMPLETED);
    assertThat(runner.jobDirectory("extract", key).value()).isEqualTo("luigi/extract/" + key);
    assertThat(cairn.blobs().getBytes(runner.jobDirectory("extract", key).resolve("out.txt")))
        .hasValueSatisfying(
            b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("rows for 2024-03-02"));
    assertThat(cairn.blobs().getBytes(runner.jobDirectory("extract", key).resolve("params.json")))
        .hasValueSatisfying(
            b ->
                assertThat(new String(b, StandardCharsets.UTF_8))
                    .contains("\"date\":\"2024-03-02\""));
    String reportKey =
        Params.hash(Params.check(p.requireTask("report"), Map.of("date", "2024-03-02")));
    assertThat(cairn.blobs().getBytes(runner.jobDirectory("report", reportKey).resolve("log")))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).contains("reporting 2 days"));
    calls.clear();
    assertThat(runner.run(opts).launched()).isZero(); // same parameters: same place, nothing to do
    assertThatThrownBy(
            () ->
                runner.run(
                    quick()
                        .withTargets(
                            List.of(new RunOptions.Target("report", Map.of("date", "yesterday"))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'yesterday' is not a date");
  }

  @Test
  void parallelismAndTheCpuBudgetBoundJobsRunningAtOnce() {
    ValueRepository in = Repositories.inMemory("in");
    for (int i = 0; i < 40; i++) {
      in.put("k" + i, i);
    }
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    JobFunction body =
        (job, ctx) -> {
          max.accumulateAndGet(now.incrementAndGet(), Math::max);
          Thread.sleep(5);
          now.decrementAndGet();
          return null;
        };
    Pipeline limited =
        Pipeline.builder("limited")
            .task(PipelineTask.java("t", body).input("in", in).parallelism(2))
            .build();
    cairn.pipeline(limited).run(quick().withWorkers(6));
    assertThat(max.get()).isEqualTo(2);
    max.set(0);
    Pipeline heavy =
        Pipeline.builder("heavy").task(PipelineTask.java("t", body).input("in", in).cpu(2)).build();
    cairn.pipeline(heavy).run(quick().withWorkers(6).withBudget(4, 0));
    assertThat(max.get()).isEqualTo(2);
  }

  @Test
  void namesThatAreNotJobKeysAreReportedNotSilentlyDropped() throws Exception {
    Path dir = data.resolve("in");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("good.txt"), "x");
    Files.writeString(dir.resolve("bad name.txt"), "x");
    Pipeline p =
        Pipeline.builder("keys")
            .task(
                PipelineTask.java("t", (job, ctx) -> job.key())
                    .input("in", Repositories.files(dir, ".txt")))
            .build();
    RunSummary r = cairn.pipeline(p).run(quick());
    assertThat(r.completed()).isEqualTo(1);
    assertThat(r.warnings())
        .singleElement()
        .asString()
        .contains("'bad name'")
        .contains("not a valid job key");
  }

  @Test
  void statusTraceKeysLaunchAndRemoveWorkOnTheEngineRecords() throws Exception {
    seed(2);
    AtomicBoolean broken = new AtomicBoolean(false);
    PipelineRunner runner = cairn.pipeline(chain(broken));
    runner.run(quick());
    assertThat(runner.keys("step5")).containsExactly("doc0", "doc1");
    assertThat(runner.keys("step1.in - step5")).isEmpty();
    assertThat(runner.keys("(step1.in & step3.out) | step2")).containsExactly("doc0", "doc1");
    assertThatThrownBy(() -> runner.keys("step9.out")).hasMessageContaining("no task 'step9'");
    assertThatThrownBy(() -> runner.keys("step1.nope")).hasMessageContaining("no link 'nope'");
    List<JobTrace> trace = runner.trace("doc1");
    assertThat(trace).extracting(JobTrace::status).containsOnly(Status.COMPLETED);
    assertThat(trace.get(0).why()).isEqualTo("done");

    assertThat(runner.remove("step4", List.of("doc1"), true)).isEqualTo(2);
    assertThat(runner.trace("doc1").get(3).status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(runner.trace("doc1").get(4).why()).startsWith("missing input");
    calls.clear();
    runner.run(quick());
    assertThat(calls("step4")).isEqualTo(1);
    assertThat(calls("step5")).isEqualTo(1);
    assertThat(calls("step3")).isZero();

    Resource again = runner.launch("step2", "doc0", null, false);
    assertThat(again.status()).isEqualTo(Status.COMPLETED);
    assertThat(calls("step2")).isEqualTo(1);
    runner.remove("step1", List.of("doc0"), false);
    assertThatThrownBy(() -> runner.launch("step2", "doc0", null, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not ready")
        .hasMessageContaining("missing input 'in'");
  }

  @Test
  void aForeverRunPicksUpNewInputUntilInterrupted() throws Exception {
    ValueRepository in = Repositories.inMemory("in");
    ValueRepository out = Repositories.inMemory("out");
    Pipeline p =
        Pipeline.builder("watch")
            .task(
                PipelineTask.java(
                        "copy",
                        (job, ctx) -> {
                          ctx.link("out", ValueRepository.class).put(job.key(), job.key());
                          return null;
                        })
                    .input("in", in)
                    .output("out", out))
            .build();
    Thread runner =
        new Thread(
            () -> cairn.pipeline(p).run(quick().withForever(true).withPoll(Duration.ofMillis(10))));
    runner.start();
    in.put("late-1", 1);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!out.contains("late-1") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    in.put("late-2", 2);
    while (!out.contains("late-2") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    runner.interrupt();
    runner.join(20_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(out.keys()).containsExactly("late-1", "late-2");
  }

  @Test
  void badPipelinesAreRefusedWithTheReason() {
    ValueRepository r = Repositories.inMemory("r");
    assertThatThrownBy(
            () ->
                Pipeline.builder("p")
                    .task(PipelineTask.java("a", (j, c) -> 1).input("in", r).after("ghost"))
                    .build())
        .hasMessageContaining("unknown task 'ghost'");
    ValueRepository x = Repositories.inMemory("x");
    ValueRepository y = Repositories.inMemory("y");
    assertThatThrownBy(
            () ->
                Pipeline.builder("p")
                    .task(PipelineTask.java("a", (j, c) -> 1).input("in", x).output("out", y))
                    .task(PipelineTask.java("b", (j, c) -> 1).input("in", y).output("out", x))
                    .build())
        .hasMessageContaining("cycle");
    assertThatThrownBy(() -> PipelineTask.java("a b", (j, c) -> 1))
        .hasMessageContaining("invalid task name");
    assertThatThrownBy(() -> PipelineTask.java("a", (j, c) -> 1).input("in", r).input("in", r))
        .hasMessageContaining("already has a link 'in'");
    assertThatThrownBy(() -> JobKeys.check("a/b")).hasMessageContaining("invalid job key 'a/b'");
    assertThat(Set.of("x")).isNotEmpty();
  }
}
