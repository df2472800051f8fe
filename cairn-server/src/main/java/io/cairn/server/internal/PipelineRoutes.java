package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.JobTrace;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Params;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineGraph;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.TaskStatus;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pipelines, as the project defines them: tasks with parameters and links, the graph with per-task
 * counts, triggering a parameterized job (its key is the parameter hash, so the same parameters are
 * the same job), polling it and downloading its outputs from the blob store.
 */
final class PipelineRoutes {
  static final String BASE = "/api/v1/pipelines";
  private static final Set<String> HIDDEN = Set.of("unpublished.json");

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
    r.post(BASE + "/{pipeline}/tasks/{task}/jobs", this::trigger);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}", this::job);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}/log", this::jobLog);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}/outputs/{name}", this::output);
  }

  private PipelineRunner runner(Context ctx) {
    String p = ctx.pathParam("pipeline");
    PipelineRunner r = runners.get(p);
    if (r == null) {
      throw ApiProblem.notFound("pipeline", p, List.copyOf(runners.keySet()));
    }
    return r;
  }

  private static PipelineTask task(Context ctx, PipelineRunner r) {
    String t = ctx.pathParam("task");
    return r.pipeline()
        .task(t)
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "task", t, r.pipeline().tasks().stream().map(PipelineTask::name).toList()));
  }

  private static String jobKey(Context ctx) {
    String k = ctx.pathParam("job");
    if (!JobKeys.isValid(k)) {
      throw ApiProblem.badParameter(
          "job", "job key '" + k + "' is not valid: " + JobKeys.RULE, null);
    }
    return k;
  }

  private Stats stats(String collection) {
    try {
      return cairn.stats(collection);
    } catch (UnknownCollectionException e) {
      return Stats.empty();
    }
  }

  private Resource resource(String collection, String key) {
    try {
      return cairn.resource(collection, key);
    } catch (UnknownCollectionException e) {
      return null;
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

  private void trigger(Context ctx) {
    PipelineRunner r = runner(ctx);
    PipelineTask t = task(ctx, r);
    if (!t.parameterized()) {
      throw ApiProblem.conflict(
          "task '"
              + t.name()
              + "' takes no parameters: its jobs come from its inputs; start a run with POST "
              + BASE
              + "/"
              + r.pipeline().name()
              + "/runs");
    }
    Map<String, Object> body = JsonText.readBody(ctx.bodyAsBytes());
    Object given = body.getOrDefault("params", Map.of());
    if (!(given instanceof Map<?, ?> gm)) {
      throw ApiProblem.badParameter("params", "params must be a JSON object", t.params().keySet());
    }
    Map<String, Object> checked;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> g = (Map<String, Object>) gm;
      checked = Params.check(t, g);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badParameter("params", lower(e.getMessage()), t.params().keySet());
    }
    String key = Params.hash(checked);
    String collection = r.pipeline().collectionOf(t.name());
    Resource res = resource(collection, key);
    boolean completed = res != null && res.status() == Status.COMPLETED;
    boolean started = !completed && triggers.job(r, t.name(), key, checked);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pipeline", r.pipeline().name());
    doc.put("task", t.name());
    doc.put("job", key);
    doc.put("params", checked);
    doc.put("status", completed ? "completed" : res == null ? "unavailable" : res.status().label());
    doc.put("scheduled", started);
    doc.put("status_url", jobUrl(r, t.name(), key));
    Http.json(ctx, completed ? 200 : 202, doc);
  }

  private static String lower(String s) {
    return s == null || s.isEmpty()
        ? "bad params"
        : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static String jobUrl(PipelineRunner r, String task, String key) {
    return BASE + "/" + r.pipeline().name() + "/tasks/" + task + "/jobs/" + key;
  }

  private void job(Context ctx) {
    PipelineRunner r = runner(ctx);
    PipelineTask t = task(ctx, r);
    String key = jobKey(ctx);
    String collection = r.pipeline().collectionOf(t.name());
    Resource res = resource(collection, key);
    boolean scheduling = triggers.scheduling(r.pipeline().name(), t.name(), key);
    if ((res == null || res.status() == Status.UNAVAILABLE) && !scheduling) {
      throw new ApiProblem(
          404,
          "task '"
              + t.name()
              + "' has no job '"
              + key
              + "'; trigger it with POST "
              + BASE
              + "/"
              + r.pipeline().name()
              + "/tasks/"
              + t.name()
              + "/jobs",
          Map.of("job", key));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pipeline", r.pipeline().name());
    doc.put("task", t.name());
    doc.put("job", key);
    doc.put("status", res == null ? "unavailable" : res.status().label());
    doc.put("scheduling", scheduling);
    doc.put("attempts", res == null ? 0 : res.attempts());
    doc.put("result", res == null ? null : res.result());
    doc.put(
        "error",
        res == null || res.error() == null ? null : res.error().lines().findFirst().orElse(""));
    doc.put("blocked_on", blockedOn(r, t.name(), key, res));
    String base = jobUrl(r, t.name(), key);
    List<Map<String, Object>> outputs = new ArrayList<>();
    Object params = null;
    BlobKey dir = r.jobDirectory(t.name(), key);
    try {
      for (BlobInfo b : cairn.blobs().list(dir.value() + "/", null, 1000).items()) {
        String name = b.key().value().substring(dir.value().length() + 1);
        if (HIDDEN.contains(name) || name.contains("/")) {
          continue;
        }
        outputs.add(Map.of("name", name, "size", b.size(), "url", base + "/outputs/" + name));
      }
      Optional<byte[]> pj = cairn.blobs().getBytes(dir.resolve("params.json"));
      if (pj.isPresent()) {
        Object stored =
            JsonText.readStored(new String(pj.get(), java.nio.charset.StandardCharsets.UTF_8));
        params =
            stored instanceof Map<?, ?> m && m.containsKey("params") ? m.get("params") : stored;
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    doc.put("params", params);
    doc.put("outputs", outputs);
    doc.put("log_url", base + "/log");
    Http.json(ctx, 200, doc);
  }

  private static String blockedOn(PipelineRunner r, String task, String key, Resource res) {
    if (res != null && (res.status() == Status.COMPLETED || res.status() == Status.RUNNING)) {
      return null;
    }
    try {
      for (JobTrace jt : r.trace(key)) {
        if (jt.task().equals(task)) {
          return jt.why();
        }
      }
    } catch (RuntimeException e) {
      // A trace is a hint; a job whose trace cannot be built is still shown.
    }
    return null;
  }

  private void jobLog(Context ctx) {
    PipelineRunner r = runner(ctx);
    PipelineTask t = task(ctx, r);
    String key = jobKey(ctx);
    String collection = r.pipeline().collectionOf(t.name());
    Resource res = resource(collection, key);
    if (res == null || res.status() == Status.UNAVAILABLE) {
      throw ApiProblem.notFound("job", key, null);
    }
    ResourceFiles.log(ctx, res, cairn.log(collection, key));
  }

  private void output(Context ctx) throws IOException {
    PipelineRunner r = runner(ctx);
    PipelineTask t = task(ctx, r);
    String key = jobKey(ctx);
    String name = ctx.pathParam("name");
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\\")
        || name.indexOf('\0') >= 0
        || HIDDEN.contains(name)) {
      throw ApiProblem.badParameter(
          "name",
          "output name must be one file name of the job's directory, without '/', '..' or NUL",
          null);
    }
    BlobKey k = r.jobDirectory(t.name(), key).resolve(name);
    Optional<InputStream> in = cairn.blobs().get(k);
    if (in.isEmpty()) {
      throw new ApiProblem(
          404, "job '" + key + "' has no output '" + name + "'", Map.of("name", name));
    }
    ctx.header("Content-Disposition", "attachment");
    ctx.contentType(name.endsWith(".json") ? "application/json" : "application/octet-stream");
    ctx.result(in.get());
  }
}
