package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Page;
import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.Why;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collections (and trackers, and pipeline tasks' job collections): counts, cursor-paged listings,
 * one resource, its log, trace and files, and asynchronous fetches. Everything is read from the
 * store per request; nothing is cached here but the sampler's throughput.
 */
final class CollectionRoutes {
  static final String BASE = "/api/v1/collections";
  static final String RUNNING = "/api/v1/running";
  private static final int MAX_RUNNING = 100;

  private final Cairn cairn;
  private final Sampler sampler;
  private final Triggers triggers;
  private final Map<String, String> taskOfCollection;

  CollectionRoutes(
      Cairn cairn, Sampler sampler, Triggers triggers, Map<String, String> taskOfCollection) {
    this.cairn = cairn;
    this.sampler = sampler;
    this.triggers = triggers;
    this.taskOfCollection = Map.copyOf(taskOfCollection);
  }

  void register(RoutesConfig r) {
    r.get(BASE, this::list);
    r.get(BASE + "/{collection}", this::one);
    r.get(BASE + "/{collection}/resources", this::resources);
    r.get(BASE + "/{collection}/resource", this::resource);
    r.get(
        BASE + "/{collection}/resource/log",
        ctx -> {
          Resource res = resourceOf(ctx);
          ResourceFiles.log(ctx, res, cairn.log(res.collection(), res.ident()));
        });
    r.get(BASE + "/{collection}/resource/trace", this::trace);
    r.get(
        BASE + "/{collection}/resource/files",
        ctx -> ResourceFiles.list(ctx, resourceOf(ctx), cairn.blobs()));
    r.get(
        BASE + "/{collection}/resource/file",
        ctx -> ResourceFiles.download(ctx, resourceOf(ctx), cairn.blobs()));
    r.post(BASE + "/{collection}/resource/fetch", this::fetch);
    r.get(RUNNING, this::running);
  }

  /**
   * What runs now and where: the first {@link #MAX_RUNNING} RUNNING resources of the collections
   * that have any, read by the status index (collections without one cost only their counts).
   */
  private void running(Context ctx) {
    List<Map<String, Object>> items = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Stats> e : cairn.stats().entrySet()) {
      long n = e.getValue().count(Status.RUNNING);
      total += n;
      if (n == 0 || items.size() >= MAX_RUNNING) {
        continue;
      }
      String c = e.getKey();
      for (String id :
          cairn.idsByStatus(c, Status.RUNNING, null, MAX_RUNNING - items.size()).items()) {
        Resource r = cairn.resource(c, id);
        if (r.status() != Status.RUNNING) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collection", c);
        m.put("ident", id);
        m.put("task", taskOfCollection.get(c));
        m.put("owner", r.owner());
        m.put("attempts", r.attempts());
        m.put("started_ms", r.startTime());
        m.put("url", resourceUrl(c, id));
        items.add(m);
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("running", total);
    doc.put("items", items);
    Http.json(ctx, 200, doc);
  }

  String known(Context ctx) {
    String c = ctx.pathParam("collection");
    List<String> all = cairn.collections();
    if (!all.contains(c)) {
      throw ApiProblem.notFound("collection", c, all);
    }
    return c;
  }

  private void list(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Stats> e : cairn.stats().entrySet()) {
      out.add(summary(e.getKey(), e.getValue()));
    }
    Http.json(ctx, 200, Map.of("collections", out));
  }

  private Map<String, Object> summary(String c, Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c);
    String task = taskOfCollection.get(c);
    m.put("kind", task != null ? "task" : "collection");
    if (task != null) {
      m.put("task", task);
    }
    m.put("counts", counts(s));
    m.put("total", s.total());
    m.put("throughput_per_s", sampler.throughput(c));
    m.put("url", BASE + "/" + c);
    return m;
  }

  static Map<String, Object> counts(Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Status st : Status.values()) {
      if (st != Status.UNAVAILABLE) {
        m.put(st.label(), s.count(st));
      }
    }
    return m;
  }

  private void one(Context ctx) {
    String c = known(ctx);
    Map<String, Object> m = summary(c, cairn.stats(c));
    m.put("computable_here", cairn.registeredCollections().contains(c));
    m.put("resources_url", BASE + "/" + c + "/resources");
    m.put("errors_url", BASE + "/" + c + "/errors");
    Http.json(ctx, 200, m);
  }

  /**
   * A page by keyset, never OFFSET: on the store's (collection, status, insertion) index, or with
   * an ident prefix on its key range in ident order ({@link Cairn#idsByPrefix}, which may come back
   * short with a cursor to go on for a status set other than all or ERROR).
   */
  private void resources(Context ctx) {
    String c = known(ctx);
    Set<Status> statuses = Query.statuses(ctx);
    int limit = Query.intParam(ctx, "limit", Limits.DEFAULT_PAGE, 1, Limits.MAX_PAGE);
    String prefix = Query.optional(ctx, "prefix");
    String cursor = Query.optional(ctx, "cursor");
    Page<String> page;
    try {
      page =
          prefix == null
              ? cairn.idsByStatus(c, statuses, cursor, limit)
              : cairn.idsByPrefix(c, statuses, prefix, cursor, limit);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badParameter(
          "cursor", "cursor is not one this listing gave out; start again without it", null);
    }
    List<String> idents = page.items();
    boolean more = page.hasMore();
    String next = page.nextCursor();
    List<Map<String, Object>> items = new ArrayList<>();
    for (String id : idents) {
      Resource r = cairn.resource(c, id);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ident", id);
      m.put("status", r.status().label());
      m.put("attempts", r.attempts());
      m.put("ended_ms", r.endTime());
      m.put("url", resourceUrl(c, id));
      items.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", c);
    doc.put("items", items);
    doc.put("next_cursor", more ? next : null);
    Http.json(ctx, 200, doc);
  }

  static String resourceUrl(String c, String ident) {
    return BASE + "/" + c + "/resource?ident=" + URLEncoder.encode(ident, StandardCharsets.UTF_8);
  }

  Resource resourceOf(Context ctx) {
    String c = known(ctx);
    String ident = Query.required(ctx, "ident");
    Resource r = cairn.resource(c, ident);
    if (r.status() == Status.UNAVAILABLE) {
      throw new ApiProblem(
          404,
          "resource '" + ident + "' of '" + c + "' was never asked for",
          Map.of("collection", c, "ident", ident));
    }
    return r;
  }

  private void resource(Context ctx) {
    Resource r = resourceOf(ctx);
    Http.json(ctx, 200, view(r, why(r)));
  }

  private Why why(Resource r) {
    try {
      return cairn.why(r.collection(), r.ident());
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Map<String, Object> view(Resource r, Why why) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collection", r.collection());
    m.put("ident", r.ident());
    m.put("status", r.status().label());
    m.put("attempts", r.attempts());
    m.put("args", r.args());
    m.put("result", r.result());
    m.put("error", r.error() == null ? null : r.error().lines().findFirst().orElse(""));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("queued_ms", r.queuedTime());
    t.put("started_ms", r.startTime());
    t.put("ended_ms", r.endTime());
    t.put("duration_ms", r.durationMillis());
    m.put("timings", t);
    m.put("owner", r.owner());
    if (why != null) {
      m.put(
          "why",
          Map.of(
              "reason",
              why.reason().name().toLowerCase(java.util.Locale.ROOT),
              "message",
              why.message(),
              "would_compute",
              why.wouldCompute()));
    }
    String self = resourceUrl(r.collection(), r.ident());
    String q = self.substring(self.indexOf('?'));
    String base = BASE + "/" + r.collection() + "/resource";
    m.put(
        "links",
        Map.of(
            "self",
            self,
            "log",
            base + "/log" + q,
            "trace",
            base + "/trace" + q,
            "files",
            base + "/files" + q));
    return m;
  }

  private void trace(Context ctx) {
    Resource r = resourceOf(ctx);
    if (r.error() == null) {
      throw new ApiProblem(
          404,
          "resource '" + r.ident() + "' has no stored error (it is " + r.status().label() + ")",
          Map.of("status", r.status().label()));
    }
    ctx.contentType("text/plain; charset=utf-8").result(r.error());
  }

  private void fetch(Context ctx) {
    String c = known(ctx);
    String ident = Query.required(ctx, "ident");
    Map<String, Object> body = JsonText.readBody(ctx.bodyAsBytes());
    Object args = body.getOrDefault("args", Map.of());
    if (!(args instanceof Map<?, ?>)) {
      throw ApiProblem.badParameter(
          "args", "args must be a JSON object of the fetch's arguments", null);
    }
    Object recompute = body.getOrDefault("recompute", false);
    if (!(recompute instanceof Boolean)) {
      throw ApiProblem.badParameter(
          "recompute", "recompute must be true or false", List.of(true, false));
    }
    if (!cairn.registeredCollections().contains(c)) {
      throw ApiProblem.conflict(
          "collection '"
              + c
              + "' has no compute function in this server: start cairn serve with the"
              + " --classpath that registers it");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> a = (Map<String, Object>) args;
    triggers.fetch(c, ident, a, (Boolean) recompute);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", c);
    doc.put("ident", ident);
    doc.put("status_url", resourceUrl(c, ident));
    Http.json(ctx, 202, doc);
  }
}
