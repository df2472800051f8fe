package io.cairn.server.internal;

import io.cairn.CairnClient;
import io.cairn.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable maps, read through the read-only client over the server's own state store (SQLite or
 * PostgreSQL): names with sizes, and entries paged by cursor.
 */
final class MapRoutes {
  static final String BASE = "/api/v1/maps";
  private final CairnClient client;

  MapRoutes(CairnClient client) {
    this.client = client;
  }

  void register(RoutesConfig r) {
    r.get(BASE, this::list);
    r.get(BASE + "/{map}", this::entries);
  }

  private void list(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String m : client.maps()) {
      out.add(Map.of("name", m, "size", client.mapSize(m), "url", BASE + "/" + m));
    }
    Http.json(ctx, 200, Map.of("maps", out));
  }

  private void entries(Context ctx) {
    String name = ctx.pathParam("map");
    List<String> known = client.maps();
    if (!known.contains(name)) {
      throw ApiProblem.notFound("map", name, known);
    }
    int limit = Query.intParam(ctx, "limit", Limits.DEFAULT_PAGE, 1, Limits.MAX_PAGE);
    Page<Map.Entry<String, Object>> page;
    try {
      page = client.mapEntries(name, Query.optional(ctx, "cursor"), limit);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badParameter(
          "cursor", "cursor is not one this listing gave out; start again without it", null);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map.Entry<String, Object> e : page.items()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", e.getKey());
      m.put("value", e.getValue());
      items.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("map", name);
    doc.put("size", client.mapSize(name));
    doc.put("items", items);
    doc.put("next_cursor", page.hasMore() ? page.nextCursor() : null);
    Http.json(ctx, 200, doc);
  }
}
