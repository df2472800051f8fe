package io.cairn.server.internal;

import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.StoredResource;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server-sent-events stream: after each sampler tick, one {@code counts} event (counts,
 * throughput and how many changed, per collection, only when something changed) and one {@code
 * resource} event per watched resource that changed. Never one event per resource of the store. At
 * most {@link Limits#MAX_STREAMS} viewers; each watches at most {@link Limits#MAX_WATCHED}
 * resources, named {@code watch=collection/ident}.
 */
final class LiveStream {
  record Viewer(SseClient client, Set<String> watched) {}

  private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
  private final Sampler sampler;
  private Map<String, Stats> lastSent = Map.of();

  LiveStream(Sampler sampler) {
    this.sampler = sampler;
    sampler.listener(this::publish);
  }

  /**
   * Checked before the stream opens, so a bad request is a problem document, not a broken stream.
   */
  void check(Context ctx) {
    if (viewers.size() >= Limits.MAX_STREAMS) {
      throw new ApiProblem(
          503, "too many live viewers (" + Limits.MAX_STREAMS + "); close one and retry", Map.of());
    }
    List<String> w = ctx.queryParams("watch");
    if (w.size() > Limits.MAX_WATCHED) {
      throw ApiProblem.badParameter(
          "watch", "watch at most " + Limits.MAX_WATCHED + " resources, got " + w.size(), null);
    }
    for (String x : w) {
      if (x.indexOf('/') <= 0 || x.length() > Limits.MAX_QUERY_VALUE) {
        throw ApiProblem.badParameter(
            "watch", "watch must be collection/ident, got '" + x + "'", null);
      }
    }
  }

  void open(SseClient client) {
    Set<String> watched = new java.util.HashSet<>();
    for (String x : client.ctx().queryParams("watch")) {
      int slash = x.indexOf('/');
      watched.add(x.substring(0, slash) + "\u0000" + x.substring(slash + 1));
    }
    Viewer v = new Viewer(client, watched);
    viewers.add(v);
    client.onClose(() -> viewers.remove(v));
    Sampler.Tick t = sampler.last();
    if (t != null) {
      client.sendEvent("counts", JsonText.write(countsDoc(t)));
    }
    client.keepAlive();
  }

  int viewers() {
    return viewers.size();
  }

  private synchronized void publish(Sampler.Tick t) {
    if (viewers.isEmpty()) {
      lastSent = t.stats();
      return;
    }
    boolean countsChanged = !t.stats().equals(lastSent) || !t.changed().isEmpty();
    lastSent = t.stats();
    String counts = countsChanged ? JsonText.write(countsDoc(t)) : null;
    for (Viewer v : viewers) {
      if (v.client().terminated()) {
        viewers.remove(v);
        continue;
      }
      if (counts != null) {
        v.client().sendEvent("counts", counts);
      }
      for (String w : v.watched()) {
        StoredResource r = t.latest().get(w);
        Map<String, Object> m = null;
        if (r != null) {
          m = resourceDoc(r.collection(), r.key(), r.status(), r.attempts(), r.owner());
        } else if (t.skipped()) {
          // The tick skipped changes it could not read in time (say 50,000 a second): a watched
          // resource may be among them, so its current record is sent, at most once a second.
          Resource now = sampler.current(w);
          if (now != null) {
            m =
                resourceDoc(
                    now.collection(), now.ident(), now.status(), now.attempts(), now.owner());
          }
        }
        if (m != null) {
          v.client().sendEvent("resource", JsonText.write(m));
        }
      }
    }
  }

  private static Map<String, Object> resourceDoc(
      String collection, String ident, Status status, int attempts, String owner) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collection", collection);
    m.put("ident", ident);
    m.put("status", status.label());
    m.put("attempts", attempts);
    m.put("owner", owner);
    return m;
  }

  private Map<String, Object> countsDoc(Sampler.Tick t) {
    List<Map<String, Object>> cs = new ArrayList<>();
    t.stats()
        .forEach(
            (c, s) -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", c);
              m.put("counts", CollectionRoutes.counts(s));
              m.put("changed", t.changed().getOrDefault(c, 0L));
              m.put("throughput_per_s", sampler.throughput(c));
              cs.add(m);
            });
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("time_ms", t.timeMs());
    doc.put("collections", cs);
    doc.put("skipped", t.skipped());
    return doc;
  }
}
