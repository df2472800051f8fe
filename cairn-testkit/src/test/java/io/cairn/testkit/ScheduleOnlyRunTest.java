package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.StreamRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule-only run (workers = 0) on one Cairn and a worker on another, over one SQLite home: the
 * run only queues and follows outcomes through the change cursor, the worker runs. Covered: a
 * fan-out (a job that writes new keys into a repository another task reads), a job that fails once
 * and is retried through the queue after its backoff, a job that fails for good and is aborted, and
 * parameterized targets with a dependency. Every job runs once per attempt, and the run ends when
 * what it queued is done.
 */
class ScheduleOnlyRunTest {
  @TempDir Path dir;

  @Test
  void aScheduleOnlyRunQueuesAndAWorkerElsewhereRunsFanOutRetriesAndTargets() throws Exception {
    Path home = dir.resolve("home");
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    StreamRepository seeds = Repositories.files(dir.resolve("seeds"), ".txt");
    StreamRepository found = Repositories.files(dir.resolve("found"), ".txt");
    StreamRepository done = Repositories.files(dir.resolve("done"), ".txt");
    for (int i = 0; i < 5; i++) {
      seeds.write("s" + i, ("" + i).getBytes(StandardCharsets.UTF_8));
    }
    Pipeline p =
        Pipeline.builder("crawl")
            .task(
                PipelineTask.java(
                        "expand",
                        (job, ctx) -> {
                          count(runs, "expand " + job.key());
                          for (int j = 0; j < 3; j++) { // fan-out: three keys per seed
                            found.write(job.key() + "-" + j, job.key().getBytes());
                          }
                          return 3;
                        })
                    .input("seed", seeds)
                    .output("found", found))
            .task(
                PipelineTask.java(
                        "visit",
                        (job, ctx) -> {
                          int n = count(runs, "visit " + job.key());
                          if (job.key().equals("s1-1") && n == 1) {
                            throw new IllegalStateException("flaky once");
                          }
                          if (job.key().equals("s2-2")) {
                            throw new IllegalStateException("always broken");
                          }
                          done.write(job.key(), "ok".getBytes());
                          return "ok";
                        })
                    .input("page", found)
                    .output("done", done)
                    .maxTries(2)
                    .backoff(Duration.ofMillis(50)))
            .task(
                PipelineTask.java(
                        "day",
                        (job, ctx) -> {
                          count(runs, "day " + job.params().get("n"));
                          return job.params().get("n");
                        })
                    .param("n", ParamType.INT))
            .task(
                PipelineTask.java(
                        "week",
                        (job, ctx) -> {
                          count(runs, "week");
                          return "week";
                        })
                    .param("n", ParamType.INT)
                    .dependsOn("day", job -> Map.of("n", job.params().get("n"))))
            .build();

    try (Cairn scheduler = Cairn.open(home);
        Cairn worker = Cairn.open(home)) {
      AtomicReference<RunSummary> workerSummary = new AtomicReference<>();
      Thread w =
          new Thread(() -> workerSummary.set(worker.work(List.of(p), List.of(), 3, Duration.ZERO)));
      w.start();
      RunSummary run = scheduler.pipeline(p).run(RunOptions.defaults().withWorkers(0));
      RunSummary targeted =
          scheduler
              .pipeline(p)
              .run(
                  RunOptions.defaults()
                      .withWorkers(0)
                      .withTargets(List.of(new RunOptions.Target("week", Map.of("n", 7)))));
      assertThat(targeted.completed()).isEqualTo(2);
      w.interrupt();
      w.join(30_000);

      assertThat(scheduler.stats("crawl.expand").count(Status.COMPLETED)).isEqualTo(5);
      assertThat(scheduler.stats("crawl.visit").count(Status.COMPLETED)).isEqualTo(14);
      assertThat(scheduler.stats("crawl.visit").count(Status.ABORTED)).isEqualTo(1);
      assertThat(scheduler.stats("crawl.week").count(Status.COMPLETED)).isEqualTo(1);
      assertThat(scheduler.stats("crawl.day").count(Status.COMPLETED)).isEqualTo(1);
      for (String c : List.of("crawl.expand", "crawl.visit", "crawl.day", "crawl.week")) {
        assertThat(
                scheduler.stats(c).count(Status.RUNNING) + scheduler.stats(c).count(Status.QUEUED))
            .as(c + ": nothing left queued or running")
            .isZero();
      }
      assertThat(run.aborted()).isEqualTo(1);
      assertThat(workerSummary.get().completed()).isEqualTo(5 + 14 + 2);
    }
    assertThat(runs.get("visit s1-1").get()).as("retried once through the queue").isEqualTo(2);
    assertThat(runs.get("visit s2-2").get()).as("max tries, then aborted").isEqualTo(2);
    runs.forEach(
        (job, n) -> {
          if (!job.equals("visit s1-1") && !job.equals("visit s2-2")) {
            assertThat(n.get()).as(job).isEqualTo(1);
          }
        });
    assertThat(runs).containsKeys("day 7", "week");
    assertThat(done.keys().count()).isEqualTo(14);
  }

  private static int count(Map<String, AtomicInteger> runs, String job) {
    return runs.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
  }
}
