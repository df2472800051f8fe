package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.JobTrace;
import io.cairn.pipeline.Params;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineTask;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pipeline task's jobs: triggering a parameterized job (its key is the parameter hash, so the
 * same parameters are the same job), polling it, its log, and downloading its outputs from the blob
 * store.
 */
final class JobRoutes {
  private static final String BASE = PipelineRoutes.BASE;
  private static final Set<String> HIDDEN = Set.of("unpublished.json");

  private final Cairn cairn;
  private final PipelineRoutes pipelines;
  private final Triggers triggers;

  JobRoutes(Cairn cairn, PipelineRoutes pipelines, Triggers triggers) {
    this.cairn = cairn;
    this.pipelines = pipelines;
    this.triggers = triggers;
  }

  void register(RoutesConfig r) {
    r.post(BASE + "/{pipeline}/tasks/{task}/jobs", this::trigger);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}", this::job);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}/log", this::jobLog);
    r.get(BASE + "/{pipeline}/tasks/{task}/jobs/{job}/outputs/{name}", this::output);
  }

  private PipelineRunner runner(Context ctx) {
    return pipelines.runner(ctx);
  }

  private static PipelineTask task(Context ctx, PipelineRunner r) {
    return PipelineRoutes.task(ctx, r);
  }

  private static String jobKey(Context ctx) {
    String k = ctx.pathParam("job");
    if (!JobKeys.isValid(k)) {
      throw ApiProblem.badParameter(
          "job", "job key '" + k + "' is not valid: " + JobKeys.RULE, null);
    }
    return k;
  }

  private Resource resource(String collection, String key) {
    try {
      return cairn.resource(collection, key);
    } catch (UnknownCollectionException e) {
      return null;
    }
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
    if (params == null) {
      params = triggers.triggeredParams(r.pipeline().name(), t.name(), key);
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
    if (BlobDownloads.redirected(ctx, cairn.blobs(), k)) {
      return;
    }
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
