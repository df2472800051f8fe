package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineGraph;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines, as the project defines them: tasks with parameters and links, the graph with per-task
 * counts, status and runs. One task's jobs are {@link JobRoutes}.
 */
final class PipelineRoutes {
  static final String BASE = "/api/v1/pipelines";

  private final Cairn cairn;
  private final Map<String, PipelineRunner> runners = new LinkedHashMap<>();
  private final Triggers triggers;

  PipelineRoutes(Cairn cairn, List<Pipeline> pipelines, Triggers triggers) {
    this.cairn = cairn;
    for (Pipeline p : pipelines) {
      runners.put(p.name(), cairn.pipeline(p));
    }
    this.triggers = triggers;
  }

  void register(RoutesConfig r) {
    r.get(BASE, this::list);
    r.get(BASE + "/{pipeline}", this::one);
    r.get(BASE + "/{pipeline}/graph", this::graph);
    r.get(BASE + "/{pipeline}/status", this::status);
    r.post(BASE + "/{pipeline}/runs", this::startRun);
    r.get(BASE + "/{pipeline}/runs/{run}", this::run);
  }

  PipelineRunner runner(Context ctx) {
    String p = ctx.pathParam("pipeline");
    PipelineRunner r = runners.get(p);
    if (r == null) {
      throw ApiProblem.notFound("pipeline", p, List.copyOf(runners.keySet()));
    }
    return r;
  }

  static PipelineTask task(Context ctx, PipelineRunner r) {
    String t = ctx.pathParam("task");
    return r.pipeline()
        .task(t)
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "task", t, r.pipeline().tasks().stream().map(PipelineTask::name).toList()));
  }

  private Stats stats(String collection) {
    try {
      return cairn.stats(collection);
    } catch (UnknownCollectionException e) {
      return Stats.empty();
    }
  }

  private void list(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PipelineRunner r : runners.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.pipeline().name());
      m.put("tasks", r.pipeline().tasks().stream().map(PipelineTask::name).toList());
      m.put("url", BASE + "/" + r.pipeline().name());
      out.add(m);
    }
    Http.json(ctx, 200, Map.of("pipelines", out));
  }

  private void one(Context ctx) {
    PipelineRunner r = runner(ctx);
    Pipeline p = r.pipeline();
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (PipelineTask t : p.tasks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("collection", p.collectionOf(t.name()));
      m.put("parameterized", t.parameterized());
      List<Map<String, Object>> params = new ArrayList<>();
      t.params()
          .forEach(
              (name, param) -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", name);
                pm.put("type", param.type().label());
                pm.put("default", param.defaultValue());
                params.add(pm);
              });
      m.put("params", params);
      List<Map<String, Object>> links = new ArrayList<>();
      for (Link l : t.links()) {
        links.add(
            Map.of(
                "name", l.name(),
                "kind", l.kind().name().toLowerCase(java.util.Locale.ROOT),
                "repository", l.repository().describe()));
      }
      m.put("links", links);
      m.put("upstream", List.copyOf(p.graph().upstream(t.name())));
      m.put("jobs_url", BASE + "/" + p.name() + "/tasks/" + t.name() + "/jobs");
      tasks.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", p.name());
    doc.put("tasks", tasks);
    doc.put("graph_url", BASE + "/" + p.name() + "/graph");
    doc.put("status_url", BASE + "/" + p.name() + "/status");
    Http.json(ctx, 200, doc);
  }

  /**
   * Per-task nodes and their counts: drawing a million-job pipeline costs as much as a small one.
   */
  private void graph(Context ctx) {
    Pipeline p = runner(ctx).pipeline();
    PipelineGraph g = p.graph();
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (String t : g.tasks()) {
      Stats s = stats(p.collectionOf(t));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", t);
      m.put("counts", CollectionRoutes.counts(s));
      m.put("total", s.total());
      nodes.add(m);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (PipelineGraph.Edge e : g.edges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", e.from());
      m.put("to", e.to());
      m.put("via", e.via());
      edges.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pipeline", p.name());
    doc.put("nodes", nodes);
    doc.put("edges", edges);
    Http.json(ctx, 200, doc);
  }

  private void status(Context ctx) {
    PipelineRunner r = runner(ctx);
    List<Map<String, Object>> tasks = new ArrayList<>();
    boolean done = true;
    for (TaskStatus t : r.status()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", t.task());
      m.put("counts", CollectionRoutes.counts(t.jobs()));
      m.put("ready", t.ready());
      m.put("blocked", t.blocked());
      done &=
          t.ready() == 0
              && t.jobs().count(Status.QUEUED) == 0
              && t.jobs().count(Status.RUNNING) == 0;
      tasks.add(m);
    }
    List<Map<String, Object>> runs = triggers.runsOf(r.pipeline().name());
    done &= runs.stream().allMatch(x -> Boolean.TRUE.equals(x.get("done")));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pipeline", r.pipeline().name());
    doc.put("done", done);
    doc.put("tasks", tasks);
    doc.put("runs", runs);
    Http.json(ctx, 200, doc);
  }

  private void startRun(Context ctx) {
    PipelineRunner r = runner(ctx);
    Map<String, Object> body = JsonText.readBody(ctx.bodyAsBytes());
    Object tasks = body.getOrDefault("tasks", List.of());
    List<String> names = r.pipeline().tasks().stream().map(PipelineTask::name).toList();
    if (!(tasks instanceof List<?> l) || !l.stream().allMatch(names::contains)) {
      throw ApiProblem.badParameter(
          "tasks", "tasks must be a list of this pipeline's task names", names);
    }
    Set<String> chosen = new LinkedHashSet<>();
    l.forEach(x -> chosen.add((String) x));
    Triggers.RunState s = triggers.run(r, chosen);
    Http.json(ctx, 202, Triggers.view(s));
  }

  private void run(Context ctx) {
    PipelineRunner r = runner(ctx);
    String id = ctx.pathParam("run");
    Triggers.RunState s = null;
    try {
      s = triggers.runState(Long.parseLong(id));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (s == null || !s.pipeline().equals(r.pipeline().name())) {
      throw ApiProblem.notFound("run", id, null);
    }
    Http.json(ctx, 200, Triggers.view(s));
  }
}
