package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work the API starts. A trigger only schedules: a run with {@code workers(0)} queues the target
 * job (and what it depends on) as QUEUED resources carrying their work, as {@code cairn run
 * --workers 0} does, and waits on a bounded pool for them to finish; the jobs themselves run on the
 * server's in-process worker ({@code workers > 0}) or on any {@code cairn worker} sharing the home.
 * One scheduling run per job key at a time; a COMPLETED job is not scheduled at all.
 */
final class Triggers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Triggers.class);
  private static final int MAX_RUNS = 8;
  private static final int KEPT_RUNS = 200;
  private static final int KEPT_PARAMS = 1000;

  record RunState(
      long id,
      String pipeline,
      String what,
      long startedMs,
      Future<?> future,
      AtomicLong endedMs,
      RunSummary[] summary,
      String[] failure) {
    boolean done() {
      return future.isDone();
    }
  }

  private final Cairn cairn;
  private final ThreadPoolExecutor pool;
  private final Thread worker;
  private final Map<String, RunState> activeJobs = new ConcurrentHashMap<>();
  private final Map<Long, RunState> runs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  // The parameters of recently triggered jobs: a job's params.json is written when it runs, and
  // a viewer polling a job that waits should still see what it was triggered with.
  private final Map<String, Map<String, Object>> triggered =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> e) {
              return size() > KEPT_PARAMS;
            }
          });

  Triggers(Cairn cairn, List<Pipeline> pipelines, int workers) {
    this.cairn = cairn;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            MAX_RUNS,
            MAX_RUNS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "cairn-server-run-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    List<String> collections = cairn.registeredCollections();
    if (workers > 0 && (!pipelines.isEmpty() || !collections.isEmpty())) {
      worker =
          new Thread(
              () -> {
                try {
                  cairn.work(pipelines, collections, workers, Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                  log.error("the server's in-process worker stopped", e);
                }
              },
              "cairn-server-worker");
      worker.setDaemon(true);
      worker.start();
    } else {
      worker = null;
    }
  }

  boolean hasWorker() {
    return worker != null;
  }

  /** Schedules one parameterized job; false when a scheduling run for it is already going. */
  boolean job(PipelineRunner runner, String task, String key, Map<String, Object> params) {
    String id = runner.pipeline().name() + "/" + task + "/" + key;
    triggered.put(id, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params)));
    boolean[] started = {false};
    activeJobs.compute(
        id,
        (k, cur) -> {
          if (cur != null && !cur.done()) {
            return cur;
          }
          started[0] = true;
          return start(
              runner.pipeline().name(),
              task + "/" + key,
              () ->
                  runner.run(
                      RunOptions.defaults()
                          .withWorkers(0)
                          .withTargets(List.of(new RunOptions.Target(task, params)))));
        });
    return started[0];
  }

  /** The parameters a job was triggered with here, or null when it was not (recently). */
  Map<String, Object> triggeredParams(String pipeline, String task, String key) {
    return triggered.get(pipeline + "/" + task + "/" + key);
  }

  /** Whether a scheduling run for this job is still going. */
  boolean scheduling(String pipeline, String task, String key) {
    RunState s = activeJobs.get(pipeline + "/" + task + "/" + key);
    return s != null && !s.done();
  }

  RunState run(PipelineRunner runner, Set<String> tasks) {
    return start(
        runner.pipeline().name(),
        tasks.isEmpty() ? "all tasks" : String.join(",", tasks),
        () -> runner.run(RunOptions.defaults().withWorkers(0).withTasks(tasks)));
  }

  void fetch(String collection, String ident, Map<String, Object> args, boolean recompute) {
    if (!recompute) {
      cairn.submit(collection, List.of(ident), args);
      return;
    }
    try {
      pool.submit(
          () -> {
            try {
              cairn.fetch(collection, ident, args, true);
            } catch (RuntimeException e) {
              // The failure is the resource's ERROR status and trace; nothing else to report.
              log.debug("recompute of {}/{} failed", collection, ident, e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw busy();
    }
  }

  private RunState start(
      String pipeline, String what, java.util.function.Supplier<RunSummary> body) {
    long id = ids.incrementAndGet();
    RunSummary[] summary = new RunSummary[1];
    String[] failure = new String[1];
    AtomicLong ended = new AtomicLong();
    Future<?> f;
    try {
      f =
          pool.submit(
              () -> {
                try {
                  summary[0] = body.get();
                } catch (RuntimeException e) {
                  failure[0] = String.valueOf(e.getMessage());
                  log.warn("triggered run {} of {} failed", what, pipeline, e);
                } finally {
                  ended.set(System.currentTimeMillis());
                }
              });
    } catch (RejectedExecutionException e) {
      throw busy();
    }
    RunState s =
        new RunState(id, pipeline, what, System.currentTimeMillis(), f, ended, summary, failure);
    runs.put(id, s);
    if (runs.size() > KEPT_RUNS) {
      runs.keySet().stream().sorted().limit(runs.size() - KEPT_RUNS).toList().forEach(runs::remove);
    }
    return s;
  }

  private static ApiProblem busy() {
    return new ApiProblem(
        503, "too many triggered runs are waiting; try again when some have finished", Map.of());
  }

  RunState runState(long id) {
    return runs.get(id);
  }

  List<Map<String, Object>> runsOf(String pipeline) {
    List<Map<String, Object>> out = new ArrayList<>();
    runs.values().stream()
        .filter(r -> r.pipeline().equals(pipeline))
        .sorted(java.util.Comparator.comparingLong(RunState::id))
        .forEach(r -> out.add(view(r)));
    return out;
  }

  static Map<String, Object> view(RunState r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("pipeline", r.pipeline());
    m.put("what", r.what());
    m.put("done", r.done());
    m.put("started_ms", r.startedMs());
    m.put("ended_ms", r.endedMs().get());
    RunSummary s = r.summary()[0];
    if (s != null) {
      m.put("completed", s.completed());
      m.put("failed", s.failed());
      m.put("aborted", s.aborted());
    }
    m.put("failure", r.failure()[0]);
    m.put("url", "/api/v1/pipelines/" + r.pipeline() + "/runs/" + r.id());
    return m;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    if (worker != null) {
      worker.interrupt();
      try {
        worker.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
