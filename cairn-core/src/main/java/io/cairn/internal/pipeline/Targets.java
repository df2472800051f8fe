package io.cairn.internal.pipeline;

import io.cairn.Status;
import io.cairn.internal.engine.Engine;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.RunOptions;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StoredResource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameterized (luigi-style) part of a run: the jobs asked for and, transitively, the jobs
 * they depend on, as a graph in memory. A job becomes a candidate when its last dependency
 * completes; candidates are checked and claimed in batches like any other jobs. A job whose
 * dependency is aborted is blocked for the rest of the run.
 */
final class Targets {
  private static final class Node {
    final JobSpec spec;
    final List<Node> dependents = new ArrayList<>();
    int pending;
    boolean finished; // done, aborted or blocked
    long retryAt;

    Node(JobSpec spec) {
      this.spec = spec;
    }
  }

  private final Pipeline pipeline;
  private final Readiness readiness;
  private final Engine engine;
  private final RunOptions options;
  private final Set<String> selected;
  private final Map<String, Node> nodes = new HashMap<>();
  private final Deque<Node> candidates = new ArrayDeque<>();
  private final List<Node> later = new ArrayList<>(); // backoff or running elsewhere
  private long nextRetryAt = Long.MAX_VALUE;

  Targets(
      Pipeline pipeline,
      Readiness readiness,
      Engine engine,
      RunOptions options,
      Set<String> selected) {
    this.pipeline = pipeline;
    this.readiness = readiness;
    this.engine = engine;
    this.options = options;
    this.selected = selected;
  }

  private static String id(JobSpec s) {
    return s.collection() + "\u0000" + s.key();
  }

  /** Builds the graph of the asked-for jobs (iteratively: chains may be deep). */
  void resolve(Runner runner) {
    List<JobSpec> roots = new ArrayList<>();
    for (RunOptions.Target t : options.targets()) {
      roots.add(JobSpec.ofParams(pipeline, pipeline.requireTask(t.task()), t.params()));
    }
    if (options.targets().isEmpty()) {
      // A parameterized task whose parameters all have defaults (or that has none) runs its
      // one default job in a run of the whole pipeline.
      for (PipelineTask t : pipeline.tasks()) {
        if (selected.contains(t.name())
            && t.parameterized()
            && t.params().values().stream().allMatch(p -> p.defaultValue() != null)) {
          roots.add(JobSpec.ofParams(pipeline, t, Map.of()));
        }
      }
    }
    // Top down, a level at a time, one read per task per level: a COMPLETED job whose fingerprint
    // matches is trusted and what it depends on is not looked at, so a finished chain is decided by
    // reading its last link. A verifying run walks everything first and reads it all at once.
    List<Node> level = new ArrayList<>();
    for (JobSpec r : roots) {
      Node n = node(r);
      if (!level.contains(n)) {
        level.add(n);
      }
    }
    Map<Node, List<Node>> upstreams = new HashMap<>();
    while (!level.isEmpty()) {
      if (!options.verify()) {
        markFinished(level);
      }
      List<Node> next = new ArrayList<>();
      for (Node n : level) {
        if (n.finished && !options.verify()) {
          continue;
        }
        for (PipelineTask.Dependency d : n.spec.task().dependencies()) {
          JobSpec upSpec = readiness.upstreamJob(d, n.spec);
          if (upSpec == null) {
            continue;
          }
          int before = nodes.size();
          Node up = node(upSpec);
          up.dependents.add(n);
          upstreams.computeIfAbsent(n, k -> new ArrayList<>()).add(up);
          n.pending++;
          if (nodes.size() > before) {
            next.add(up); // seen for the first time: its record is read with the next level
          }
        }
      }
      level = next;
    }
    checkAcyclic(upstreams);
    if (options.verify()) {
      // Everything is walked anyway: one read per task, not one per level.
      markFinished(new ArrayList<>(nodes.values()));
    }
    for (Node n : nodes.values()) {
      if (n.finished) {
        for (Node d : n.dependents) {
          d.pending--;
        }
      }
    }
    for (Node n : nodes.values()) {
      if (!n.finished && n.pending == 0) {
        candidates.add(n);
      }
    }
  }

  /** Reads one level's records (one read per task) and marks the jobs already done. */
  private void markFinished(List<Node> level) {
    Map<PipelineTask, List<Node>> byTask = new LinkedHashMap<>();
    for (Node n : level) {
      byTask.computeIfAbsent(n.spec.task(), k -> new ArrayList<>()).add(n);
    }
    for (Map.Entry<PipelineTask, List<Node>> e : byTask.entrySet()) {
      Map<String, StoredResource> records =
          engine
              .store()
              .getAll(
                  pipeline.collectionOf(e.getKey().name()),
                  e.getValue().stream().map(n -> n.spec.key()).toList());
      for (Node n : e.getValue()) {
        StoredResource r = records.get(n.spec.key());
        n.finished =
            r != null
                && r.status() == Status.COMPLETED
                && n.spec.fingerprint().equals(r.fingerprint());
      }
    }
  }

  /** How many jobs the last {@link #resolve} looked at (their records read). */
  int visited() {
    return nodes.size();
  }

  /** Jobs depending on each other in a circle would wait forever: refuse them up front. */
  private void checkAcyclic(Map<Node, List<Node>> upstreams) {
    Map<Node, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (Node start : nodes.values()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<Object[]> stack = new ArrayDeque<>();
      stack.push(new Object[] {start, 0});
      state.put(start, 1);
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        Node n = (Node) top[0];
        List<Node> ups = upstreams.getOrDefault(n, List.of());
        int i = (Integer) top[1];
        if (i < ups.size()) {
          top[1] = i + 1;
          Node u = ups.get(i);
          Integer s = state.get(u);
          if (s == null) {
            state.put(u, 1);
            stack.push(new Object[] {u, 0});
          } else if (s == 1) {
            throw new IllegalArgumentException(
                "jobs depend on each other in a cycle, through "
                    + u.spec.task().name()
                    + "/"
                    + u.spec.key()
                    + " "
                    + u.spec.job().params());
          }
        } else {
          state.put(n, 2);
          stack.pop();
        }
      }
    }
  }

  private Node node(JobSpec spec) {
    if (!selected.contains(spec.task().name())) {
      throw new IllegalArgumentException(
          "job of task '"
              + spec.task().name()
              + "' is needed but the task is not part of this run");
    }
    return nodes.computeIfAbsent(id(spec), k -> new Node(spec));
  }

  /** Checks and claims candidates; returns whether some are left for the next round. */
  boolean dispatch(Runner runner) {
    if (candidates.isEmpty()) {
      return false;
    }
    Map<PipelineTask, List<Node>> byTask = new LinkedHashMap<>();
    int n = 0;
    while (!candidates.isEmpty() && n < 1_024) {
      Node c = candidates.poll();
      byTask.computeIfAbsent(c.spec.task(), k -> new ArrayList<>()).add(c);
      n++;
    }
    for (Map.Entry<PipelineTask, List<Node>> e : byTask.entrySet()) {
      List<JobSpec> specs = e.getValue().stream().map(x -> x.spec).toList();
      Map<String, Readiness.Verdict> verdicts = readiness.check(e.getKey(), specs, false);
      List<JobSpec> ready = new ArrayList<>();
      Runner.TaskState state = runner.state(e.getKey().name());
      for (Node x : e.getValue()) {
        Readiness.Verdict v = verdicts.get(x.spec.key());
        switch (v.kind()) {
          case READY -> ready.add(x.spec);
          case DONE -> done(x);
          case ABORTED -> blocked(x);
          case BACKOFF -> {
            x.retryAt = v.retryAt();
            later.add(x);
            nextRetryAt = Math.min(nextRetryAt, v.retryAt());
            state.waiting++;
          }
          default -> {
            x.retryAt = engine.now() + options.poll().toMillis();
            later.add(x);
            nextRetryAt = Math.min(nextRetryAt, x.retryAt);
          }
        }
      }
      runner.claimAndQueue(state, ready);
    }
    return !candidates.isEmpty();
  }

  /** A job the claim did not get (someone else runs it, or it is done): look again later. */
  void notClaimed(JobSpec spec, ChangeResult r) {
    Node x = nodes.get(id(spec));
    if (x == null) {
      return;
    }
    if (r.status() == io.cairn.Status.COMPLETED) {
      done(x);
    } else {
      x.retryAt = engine.now() + options.poll().toMillis();
      later.add(x);
      nextRetryAt = Math.min(nextRetryAt, x.retryAt);
    }
  }

  void onOutcome(Runner runner, Runner.Outcome o) {
    Node x = nodes.get(id(o.spec()));
    if (x == null) {
      return;
    }
    if (o.result() == null || !o.result().applied()) {
      x.retryAt = engine.now() + options.poll().toMillis();
      later.add(x);
      nextRetryAt = Math.min(nextRetryAt, x.retryAt);
      return;
    }
    switch (o.result().status()) {
      case COMPLETED -> done(x);
      case ABORTED -> blocked(x);
      case ERROR -> {
        x.retryAt = Readiness.retryAt(o.spec().task(), o.result().record());
        later.add(x);
        nextRetryAt = Math.min(nextRetryAt, x.retryAt);
      }
      default -> {}
    }
  }

  private void done(Node x) {
    if (x.finished) {
      return;
    }
    x.finished = true;
    for (Node d : x.dependents) {
      if (--d.pending == 0 && !d.finished) {
        candidates.add(d);
      }
    }
  }

  /** An aborted job, and everything depending on it, will not run in this run. */
  private void blocked(Node x) {
    Deque<Node> todo = new ArrayDeque<>(List.of(x));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!n.finished) {
        n.finished = true;
        todo.addAll(n.dependents);
      }
    }
  }

  long nextRetryAt() {
    return nextRetryAt;
  }

  /** Moves jobs whose wait is over back to the candidates. */
  void retryDue() {
    long now = engine.now();
    long next = Long.MAX_VALUE;
    List<Node> keep = new ArrayList<>();
    for (Node x : later) {
      if (x.finished) {
        continue;
      }
      if (x.retryAt <= now) {
        candidates.add(x);
      } else {
        keep.add(x);
        next = Math.min(next, x.retryAt);
      }
    }
    later.clear();
    later.addAll(keep);
    nextRetryAt = next;
  }
}
