package io.cairn.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.pipeline.Job;
import io.cairn.pipeline.JobContext;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Params;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Luigi-style chains of parameterized jobs: job n depends on job n - 1. */
class ChainTest {
  @TempDir Path home;
  Cairn cairn;
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final List<Integer> order = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  private int calls(String task) {
    return calls.getOrDefault(task, new AtomicInteger()).get();
  }

  /**
   * A poll of an hour: a link whose dependency just completed (or whose retry is due) must start
   * without waiting for one, or the test's timeout fails it.
   */
  private static RunOptions options(String task, int n) {
    return RunOptions.defaults()
        .withWorkers(2)
        .withPoll(Duration.ofHours(1))
        .withTargets(List.of(new RunOptions.Target(task, Map.of("n", n))));
  }

  /** Runs the pipeline; returns the runner so a test can ask what its start looked at. */
  private Runner run(Pipeline p, RunOptions o, RunSummary[] summary) {
    Runner r = new Runner((PipelineService) cairn.pipeline(p), o);
    summary[0] = r.run();
    return r;
  }

  /** link(n) needs link(n - 1); link(0) needs source(0); {@code failAt} fails once. */
  private Pipeline chain(String sourceVersion, int failAt) {
    AtomicInteger failures = new AtomicInteger();
    return Pipeline.builder("chain")
        .task(
            PipelineTask.java(
                    "source",
                    (Job job, JobContext ctx) -> {
                      calls.computeIfAbsent("source", k -> new AtomicInteger()).incrementAndGet();
                      return 0;
                    })
                .param("n", ParamType.INT)
                .version(sourceVersion))
        .task(
            PipelineTask.java(
                    "link",
                    (Job job, JobContext ctx) -> {
                      int n = (Integer) job.params().get("n");
                      calls.computeIfAbsent("link", k -> new AtomicInteger()).incrementAndGet();
                      if (n == failAt && failures.getAndIncrement() == 0) {
                        throw new IllegalStateException("link " + n + " fails once");
                      }
                      order.add(n);
                      return n;
                    })
                .param("n", ParamType.INT)
                .maxTries(3)
                .backoff(Duration.ofMillis(10))
                .dependsOn(
                    "link",
                    job -> {
                      int n = (Integer) job.params().get("n");
                      return n == 0 ? null : Map.of("n", n - 1);
                    })
                .dependsOn(
                    "source", job -> (Integer) job.params().get("n") == 0 ? Map.of("n", 0) : null))
        .build();
  }

  private Status status(Pipeline p, String task, int n) {
    return cairn.status(
        "chain." + task, Params.hash(Params.check(p.requireTask(task), Map.of("n", n))));
  }

  @Test
  void thousandLinkChainCompletesAndItsSecondRunLooksAtTheLastLinkOnly() {
    Pipeline p = chain("1", -1);
    RunSummary[] s = new RunSummary[1];
    Runner first = run(p, options("link", 999), s);
    assertThat(s[0].completed()).isEqualTo(1_001); // 1,000 links and the source
    assertThat(first.visited()).isEqualTo(1_001);
    assertThat(calls("link")).isEqualTo(1_000);
    assertThat(order).as("each link ran after the one it needs").isSorted();
    assertThat(status(p, "link", 999)).isEqualTo(Status.COMPLETED);

    Runner again = run(p, options("link", 999), s);
    assertThat(s[0].launched()).isZero();
    assertThat(again.visited()).as("the finished last link is trusted").isEqualTo(1);

    Runner verified = run(p, options("link", 999).withVerify(true), s);
    assertThat(s[0].launched()).isZero();
    assertThat(verified.visited()).as("verify walks the whole chain").isEqualTo(1_001);
    assertThat(calls("link")).isEqualTo(1_000);
  }

  @Test
  void chainWhoseMiddleLinkFailsIsRetriedAndFinishes() {
    Pipeline p = chain("1", 10);
    RunSummary[] s = new RunSummary[1];
    run(p, options("link", 19), s);
    assertThat(s[0].completed()).isEqualTo(21);
    assertThat(s[0].failed()).isEqualTo(1);
    assertThat(calls("link")).as("link 10 ran twice, every other once").isEqualTo(21);
    assertThat(order).as("nothing after link 10 ran before its retry succeeded").isSorted();
    assertThat(order).hasSize(20);
    assertThat(status(p, "link", 19)).isEqualTo(Status.COMPLETED);
  }

  @Test
  void verifyWalksUpstreamAndRerunsALinkWhoseVersionChanged() {
    RunSummary[] s = new RunSummary[1];
    run(chain("1", -1), options("link", 9), s);
    assertThat(calls("source")).isEqualTo(1);

    Pipeline changed = chain("2", -1);
    Runner trusted = run(changed, options("link", 9), s);
    assertThat(s[0].launched()).as("without verify the finished target is trusted").isZero();
    assertThat(trusted.visited()).isEqualTo(1);
    assertThat(calls("source")).isEqualTo(1);

    Runner verified = run(changed, options("link", 9).withVerify(true), s);
    assertThat(verified.visited()).isEqualTo(11);
    assertThat(s[0].launched()).as("only the changed link").isEqualTo(1);
    assertThat(calls("source")).isEqualTo(2);
    assertThat(status(changed, "source", 0)).isEqualTo(Status.COMPLETED);
    assertThat(calls("link")).isEqualTo(10);
  }
}
