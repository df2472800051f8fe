package io.cairn.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users read about a run: blocked counts, retries on time, removing every job. */
class PipelineBookkeepingTest {
  @TempDir Path home;
  @TempDir Path data;
  Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  @Test
  void blockedCountsTheDownstreamJobsAFailedFanOutJobHoldsBackNotItsOwnKeys() throws Exception {
    StreamRepository docs = Repositories.files(data.resolve("docs"), ".txt");
    StreamRepository paragraphs = Repositories.files(data.resolve("paragraphs"), ".txt");
    for (String k : List.of("a", "b", "c")) {
      docs.write(k, k.getBytes(UTF_8));
    }
    Pipeline p =
        Pipeline.builder("fan")
            .task(
                PipelineTask.java(
                        "split",
                        (job, ctx) -> {
                          if (job.key().equals("b")) {
                            throw new IllegalStateException("fails before writing");
                          }
                          int n = job.key().equals("a") ? 3 : 2;
                          for (int i = 1; i <= n; i++) {
                            paragraphs.write(job.key() + ".p" + i, "words".getBytes(UTF_8));
                          }
                          if (job.key().equals("a")) {
                            throw new IllegalStateException("fails after writing 3 paragraphs");
                          }
                          return null;
                        })
                    .input("doc", docs)
                    .output("paragraphs", paragraphs)
                    .maxTries(1))
            .task(PipelineTask.java("count", (job, ctx) -> null).input("p", paragraphs))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    runner.run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));

    assertThat(paragraphs.keys()).containsExactly("c.p1", "c.p2");
    assertThat(cairn.stats("fan.count").count(Status.COMPLETED)).isEqualTo(2);
    // a's three paragraphs, and one job for b, which failed before writing any: 4, where counting
    // the upstream's failed keys would say 2.
    assertThat(runner.status().get(1).blocked()).isEqualTo(4);
    assertThat(runner.status().get(0).blocked()).isZero();
  }

  @Test
  void aFailedJobIsRetriedAtItsBackoffWhileUpstreamKeepsProducing() throws Exception {
    int upstreamJobs = 400;
    ValueRepository source = Repositories.inMemory("source");
    ValueRepository mid = Repositories.inMemory("mid");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < upstreamJobs; i++) {
      keys.add(String.format("u%03d", i));
    }
    ((io.cairn.internal.pipeline.repo.InMemoryRepository) source).putAll(keys, 1);
    AtomicInteger upDone = new AtomicInteger();
    AtomicInteger upDoneAtRetry = new AtomicInteger(-1);
    AtomicInteger tries = new AtomicInteger();
    Pipeline p =
        Pipeline.builder("retry")
            .task(
                PipelineTask.java(
                        "up",
                        (job, ctx) -> {
                          if (upDoneAtRetry.get() < 0) {
                            Thread.sleep(3); // keeps producing for well over the backoff
                          }
                          mid.put(job.key(), 1);
                          upDone.incrementAndGet();
                          return null;
                        })
                    .input("in", source)
                    .output("mid", mid))
            .task(
                PipelineTask.java(
                        "down",
                        (job, ctx) -> {
                          if (job.key().equals("u000") && tries.incrementAndGet() == 1) {
                            throw new IllegalStateException("first try fails");
                          }
                          if (job.key().equals("u000")) {
                            upDoneAtRetry.set(upDone.get());
                          }
                          return null;
                        })
                    .input("in", mid)
                    .backoff(Duration.ofMillis(50)))
            .build();
    RunSummary r =
        cairn.pipeline(p).run(RunOptions.defaults().withWorkers(2).withPoll(Duration.ofMillis(20)));

    assertThat(tries.get()).isEqualTo(2);
    assertThat(r.completed()).isEqualTo(2L * upstreamJobs);
    assertThat(upDoneAtRetry.get())
        .as("the retry ran while upstream was still producing")
        .isLessThan(upstreamJobs);
  }

  @Test
  void removeAllRemovesMoreJobsThanOnePageOfKeys() throws Exception {
    int n = 100_050; // more than the 100,000 one page of keys used to hold
    ValueRepository source = Repositories.inMemory("source");
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("k" + i);
    }
    ((io.cairn.internal.pipeline.repo.InMemoryRepository) source).putAll(keys, 1);
    Pipeline p =
        Pipeline.builder("many")
            .task(PipelineTask.java("t", (job, ctx) -> null).input("in", source))
            .build();
    PipelineRunner runner = cairn.pipeline(p);
    runner.run(RunOptions.defaults().withWorkers(2));
    assertThat(cairn.stats("many.t").count(Status.COMPLETED)).isEqualTo(n);

    assertThat(runner.removeAll("t", false)).isEqualTo(n);
    assertThat(cairn.stats("many.t").total()).isZero();
  }
}
