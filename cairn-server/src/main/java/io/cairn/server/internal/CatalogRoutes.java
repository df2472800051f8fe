package io.cairn.server.internal;

import io.cairn.Page;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The content-addressed catalog: datasets with their partitions and jobs, objects filtered and
 * paged by cursor, one object's metadata with its placements and parents, and its content, verified
 * against its id as it streams.
 */
final class CatalogRoutes {
  static final String BASE = "/api/v1/catalog";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private final Catalog catalog;

  CatalogRoutes(Catalog catalog) {
    this.catalog = catalog;
  }

  void register(RoutesConfig r) {
    r.get(BASE + "/datasets", this::datasets);
    r.get(BASE + "/objects", this::objects);
    r.get(BASE + "/objects/{id}", this::object);
    r.get(BASE + "/objects/{id}/content", this::content);
  }

  private void datasets(Context ctx) {
    int limit = Query.intParam(ctx, "limit", Limits.DEFAULT_PAGE, 1, Limits.MAX_PAGE);
    Page<Dataset> page = paged(() -> catalog.datasets(Query.optional(ctx, "cursor"), limit));
    List<Map<String, Object>> items = new ArrayList<>();
    for (Dataset d : page.items()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", d.id());
      m.put("menu_id", d.menuId());
      m.put("config_id", d.configId());
      m.put("created", d.created());
      m.put("partitions", catalog.partitions(d.id()));
      m.put("jobs", catalog.jobs(d.id()));
      m.put("objects_url", BASE + "/objects?dataset=" + d.id());
      items.add(m);
    }
    Http.json(ctx, 200, pageDoc("datasets", items, page));
  }

  private void objects(Context ctx) {
    String dataset = Query.optional(ctx, "dataset");
    String jobText = Query.optional(ctx, "job");
    Long job = jobText == null ? null : Query.longParam(ctx, "job", 0);
    String partition = Query.optional(ctx, "partition");
    if ((job != null || partition != null) && dataset == null) {
      throw ApiProblem.badParameter(
          job != null ? "job" : "partition",
          "a job or partition filter needs a dataset: add dataset=<id>",
          null);
    }
    if (dataset != null && catalog.dataset(dataset).isEmpty()) {
      throw ApiProblem.notFound("dataset", dataset, null);
    }
    ObjectFilter filter =
        new ObjectFilter(
            dataset, job, partition, Query.optional(ctx, "type"), Query.optional(ctx, "prefix"));
    int limit = Query.intParam(ctx, "limit", Limits.DEFAULT_PAGE, 1, Limits.MAX_PAGE);
    Page<CatalogObject> page =
        paged(() -> catalog.list(filter, Query.optional(ctx, "cursor"), limit));
    List<Map<String, Object>> items = new ArrayList<>();
    for (CatalogObject o : page.items()) {
      items.add(summary(o));
    }
    Http.json(ctx, 200, pageDoc("objects", items, page));
  }

  private void object(Context ctx) {
    CatalogObject o = known(ctx.pathParam("id"));
    Map<String, Object> doc = summary(o);
    doc.put("info", o.info());
    doc.put("parents", o.parents());
    doc.put("referenced_file", o.location());
    List<Map<String, Object>> placed = new ArrayList<>();
    for (Placement p : catalog.placements(o.id())) {
      placed.add(Map.of("dataset", p.dataset(), "job", p.job(), "partition", p.partition()));
    }
    doc.put("placements", placed);
    Http.json(ctx, 200, doc);
  }

  /**
   * Streams the content with its length declared, holding back the last chunk until the catalog's
   * stream has checked the hash at its end: a mismatch (a changed file referenced in place, a
   * damaged blob) aborts the response short of its length, so a client never gets a
   * complete-looking corrupt body, even when the bad bytes are as long as the good ones.
   */
  private void content(Context ctx) throws IOException {
    CatalogObject o = known(ctx.pathParam("id"));
    try (InputStream in = catalog.open(o.id())) {
      byte[] held = new byte[64 * 1024];
      byte[] next = new byte[64 * 1024];
      int heldLength = 0;
      OutputStream out = null; // taken at the first write: until then an error is a clean problem
      int n;
      while ((n = in.read(next)) >= 0) {
        if (heldLength > 0) {
          out = out != null ? out : start(ctx, o);
          out.write(held, 0, heldLength);
        }
        byte[] t = held;
        held = next;
        next = t;
        heldLength = n;
      }
      out = out != null ? out : start(ctx, o);
      out.write(held, 0, heldLength); // the end was read, so the hash matched
    }
  }

  private static OutputStream start(Context ctx, CatalogObject o) {
    ctx.status(200);
    ctx.contentType(o.mediaType());
    ctx.header("Content-Length", Long.toString(o.size()));
    ctx.header("ETag", "\"" + o.id() + "\"");
    String file = o.name().isEmpty() ? o.id() : o.name().replaceAll("[^A-Za-z0-9._-]", "_");
    ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    return ctx.outputStream();
  }

  private CatalogObject known(String id) {
    if (!ID.matcher(id).matches()) {
      throw ApiProblem.badParameter(
          "id", "an object id is the SHA-256 of its content, 64 lower-case hex digits", null);
    }
    return catalog.info(id).orElseThrow(() -> ApiProblem.notFound("object", id, null));
  }

  private static Map<String, Object> summary(CatalogObject o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("name", o.name());
    m.put("size", o.size());
    m.put("media_type", o.mediaType());
    m.put("created", o.created());
    m.put("url", BASE + "/objects/" + o.id());
    m.put("content_url", BASE + "/objects/" + o.id() + "/content");
    return m;
  }

  private static Map<String, Object> pageDoc(String name, Object items, Page<?> page) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(name, items);
    doc.put("next_cursor", page.hasMore() ? page.nextCursor() : null);
    return doc;
  }

  private static <T> Page<T> paged(java.util.function.Supplier<Page<T>> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badParameter(
          "cursor", "cursor is not one this listing gave out; start again without it", null);
    }
  }
}
