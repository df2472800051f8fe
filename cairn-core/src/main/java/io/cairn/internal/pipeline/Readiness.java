package io.cairn.internal.pipeline;

import io.cairn.Status;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.Leases;
import io.cairn.internal.engine.OwnerIds;
import io.cairn.internal.pipeline.repo.Combinators;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.LinkKind;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether jobs would start now, decided in batches: one read of the jobs' records, one of each
 * explicit dependency's records, one of each producing task's records, then per job the links
 * (inputs beyond the first, required, inhibiting).
 *
 * <p>A key in an input or required link that another task of the pipeline writes (a producing task)
 * is ready only when that task's job of the same key, if there is one, is COMPLETED: while it is
 * queued, running, failed or aborted the key waits (blocked), even when an older output of that key
 * is present. A key with no such job (put there from outside the pipeline, or written by a fan-out
 * job under another key) is ready as soon as it is present; outputs are published only when their
 * job completes, so a present key is a whole output of a completed job.
 */
final class Readiness {
  /** What a candidate job is waiting for, if anything. */
  /**
   * @param owner for RUNNING, the lease holder; otherwise null
   */
  record Verdict(Kind kind, String why, long retryAt, String owner) {
    Verdict(Kind kind, String why, long retryAt) {
      this(kind, why, retryAt, null);
    }

    static Verdict of(Kind kind, String why) {
      return new Verdict(kind, why, 0);
    }
  }

  enum Kind {
    READY,
    DONE,
    RUNNING,
    BACKOFF,
    ABORTED,
    BLOCKED
  }

  private final Pipeline pipeline;
  private final Engine engine;
  private final Map<String, List<String>> producers = new HashMap<>();

  Readiness(Pipeline pipeline, Engine engine) {
    this.pipeline = pipeline;
    this.engine = engine;
    for (PipelineTask t : pipeline.tasks()) {
      producers.put(t.name(), producersOf(pipeline, t));
    }
  }

  /** The other tasks writing a repository that {@code t} reads (input or required). */
  static List<String> producersOf(Pipeline pipeline, PipelineTask t) {
    Set<Repository> read = new HashSet<>();
    for (Link l : t.links()) {
      if (l.kind() == LinkKind.INPUT || l.kind() == LinkKind.REQUIRED) {
        read.addAll(Combinators.leaves(l.repository()));
      }
    }
    List<String> out = new ArrayList<>();
    for (PipelineTask w : pipeline.tasks()) {
      if (w.name().equals(t.name())) {
        continue;
      }
      for (Link l : w.links(LinkKind.OUTPUT)) {
        if (!out.contains(w.name())
            && Combinators.leaves(l.repository()).stream().anyMatch(read::contains)) {
          out.add(w.name());
        }
      }
    }
    return out;
  }

  /** When a failed job may be tried again: endedAt + backoff * 2^(attempts - 1). */
  static long retryAt(PipelineTask task, StoredResource r) {
    long base = task.backoff().toMillis();
    int shift = Math.min(30, Math.max(0, r.attempts() - 1));
    return r.endedAt() + base * (1L << shift);
  }

  /**
   * Verdicts for jobs of one task, keyed by job key.
   *
   * @param sourceChecked whether the jobs were listed from the task's first input (so it need not
   *     be checked again)
   */
  Map<String, Verdict> check(PipelineTask task, List<JobSpec> jobs, boolean sourceChecked) {
    Map<String, Verdict> out = new HashMap<>();
    if (jobs.isEmpty()) {
      return out;
    }
    String collection = pipeline.collectionOf(task.name());
    List<String> keys = new ArrayList<>(jobs.size());
    for (JobSpec j : jobs) {
      keys.add(j.key());
    }
    Map<String, StoredResource> records = engine.store().getAll(collection, keys);
    long now = engine.now();
    List<JobSpec> open = new ArrayList<>();
    for (JobSpec j : jobs) {
      StoredResource r = records.get(j.key());
      Verdict v = own(task, j, r, now);
      if (v == null) {
        open.add(j);
      } else {
        out.put(j.key(), v);
      }
    }
    if (open.isEmpty()) {
      return out;
    }
    // Indexed by dependency, not by task: a task may depend on two jobs of one upstream task.
    List<Map<String, StoredResource>> deps = new ArrayList<>();
    for (PipelineTask.Dependency d : task.dependencies()) {
      List<String> upKeys = new ArrayList<>();
      for (JobSpec j : open) {
        String k = upstreamKey(d, j);
        if (k != null) {
          upKeys.add(k);
        }
      }
      deps.add(engine.store().getAll(pipeline.collectionOf(d.task()), upKeys));
    }
    List<Link> inputs = task.links(LinkKind.INPUT);
    Map<String, Map<String, StoredResource>> made = producerRecords(task, open);
    for (JobSpec j : open) {
      Verdict v = links(task, j, inputs, sourceChecked, deps);
      out.put(j.key(), v.kind() == Kind.READY ? produced(j, made) : v);
    }
    return out;
  }

  /** Per producing task, the records of its jobs under the candidates' keys. */
  private Map<String, Map<String, StoredResource>> producerRecords(
      PipelineTask task, List<JobSpec> jobs) {
    List<String> ps = producers.getOrDefault(task.name(), List.of());
    if (ps.isEmpty() || task.parameterized()) {
      return Map.of();
    }
    List<String> keys = jobs.stream().map(JobSpec::key).toList();
    Map<String, Map<String, StoredResource>> out = new LinkedHashMap<>();
    for (String p : ps) {
      out.put(p, engine.store().getAll(pipeline.collectionOf(p), keys));
    }
    return out;
  }

  /** READY, unless a producing task's job of the same key is not COMPLETED. */
  private static Verdict produced(JobSpec j, Map<String, Map<String, StoredResource>> made) {
    for (Map.Entry<String, Map<String, StoredResource>> e : made.entrySet()) {
      StoredResource up = e.getValue().get(j.key());
      if (up != null && up.status() != Status.COMPLETED) {
        return Verdict.of(
            Kind.BLOCKED,
            "waiting for " + e.getKey() + "/" + j.key() + " (" + up.status().label() + ")");
      }
    }
    return Verdict.of(Kind.READY, "ready");
  }

  /** Whether a job's links and dependencies let it start, whatever its own record says. */
  Verdict checkLinks(PipelineTask task, JobSpec j) {
    List<Map<String, StoredResource>> deps = new ArrayList<>();
    for (PipelineTask.Dependency d : task.dependencies()) {
      String k = upstreamKey(d, j);
      deps.add(
          k == null
              ? Map.of()
              : engine.store().getAll(pipeline.collectionOf(d.task()), List.of(k)));
    }
    Verdict v = links(task, j, task.links(LinkKind.INPUT), false, deps);
    return v.kind() == Kind.READY ? produced(j, producerRecords(task, List.of(j))) : v;
  }

  /** The job's own record decides, or null when its links and dependencies must. */
  private static Verdict own(PipelineTask task, JobSpec j, StoredResource r, long now) {
    if (r == null) {
      return null;
    }
    switch (r.status()) {
      case COMPLETED:
        return j.fingerprint().equals(r.fingerprint()) ? Verdict.of(Kind.DONE, "done") : null;
      case RUNNING:
        // A lease that expired, or whose holder is a process of this host that is gone, is free.
        return Leases.live(r, now)
            ? new Verdict(
                Kind.RUNNING, "running (" + OwnerIds.describe(r.owner()) + ")", 0, r.owner())
            : null;
      case ABORTED:
        return Verdict.of(Kind.ABORTED, "aborted after " + r.attempts() + " tries");
      case ERROR:
        if (r.attempts() >= task.maxTries()) {
          return Verdict.of(Kind.ABORTED, "failed " + r.attempts() + " times");
        }
        long at = retryAt(task, r);
        return at > now
            ? new Verdict(
                Kind.BACKOFF, "retry " + (r.attempts() + 1) + " in " + (at - now) + " ms", at)
            : null;
      default:
        return null;
    }
  }

  private Verdict links(
      PipelineTask task,
      JobSpec j,
      List<Link> inputs,
      boolean sourceChecked,
      List<Map<String, StoredResource>> deps) {
    String key = j.key();
    for (int i = sourceChecked ? 1 : 0; i < inputs.size(); i++) {
      if (!task.parameterized() && !inputs.get(i).repository().contains(key)) {
        return Verdict.of(Kind.BLOCKED, "missing input '" + inputs.get(i).name() + "'");
      }
    }
    for (Link l : task.links(LinkKind.REQUIRED)) {
      if (!l.repository().contains(key)) {
        return Verdict.of(Kind.BLOCKED, "missing required '" + l.name() + "'");
      }
    }
    for (Link l : task.links(LinkKind.INHIBITS)) {
      if (l.repository().contains(key)) {
        return Verdict.of(Kind.BLOCKED, "inhibited by '" + l.name() + "'");
      }
    }
    for (int i = 0; i < task.dependencies().size(); i++) {
      PipelineTask.Dependency d = task.dependencies().get(i);
      String upKey = upstreamKey(d, j);
      if (upKey == null) {
        continue;
      }
      StoredResource up = deps.get(i).get(upKey);
      if (up == null || up.status() != Status.COMPLETED) {
        return Verdict.of(
            Kind.BLOCKED,
            "waiting for "
                + d.task()
                + "/"
                + upKey
                + " ("
                + (up == null ? "not started" : up.status().label())
                + ")");
      }
    }
    return Verdict.of(Kind.READY, "ready");
  }

  /** The key of the upstream job a dependency names for {@code j}, or null when none. */
  String upstreamKey(PipelineTask.Dependency d, JobSpec j) {
    JobSpec up = upstreamJob(d, j);
    return up == null ? null : up.key();
  }

  /** The upstream job a dependency names for {@code j}, or null when it names none. */
  JobSpec upstreamJob(PipelineTask.Dependency d, JobSpec j) {
    PipelineTask up = pipeline.requireTask(d.task());
    if (d.upstream() == null) {
      return JobSpec.of(pipeline, up, j.key(), j.job().params());
    }
    Map<String, Object> params = d.upstream().apply(j.job());
    return params == null ? null : JobSpec.ofParams(pipeline, up, params);
  }
}
