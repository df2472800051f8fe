package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.Page;
import io.cairn.Resource;
import io.cairn.Status;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ERROR resources grouped by what failed: a Java failure by its exception type and top three
 * frames, a script's by its exit code and last stderr line. Groups are computed on request from at
 * most {@link Limits#ERROR_SCAN} ERROR resources (the response says when there were more), so the
 * listing stays bounded at any collection size.
 */
final class ErrorGroups {
  private static final Pattern EXIT =
      Pattern.compile("exit(?:ed with)? (?:code|status)? ?(-?\\d+)");
  private static final int FRAMES = 3;

  private final Cairn cairn;
  private final CollectionRoutes collections;

  ErrorGroups(Cairn cairn, CollectionRoutes collections) {
    this.cairn = cairn;
    this.collections = collections;
  }

  void register(RoutesConfig r) {
    String base = CollectionRoutes.BASE + "/{collection}/errors";
    r.get(base, this::list);
    r.post(base + "/retry", ctx -> act(ctx, true));
    r.post(base + "/abort", ctx -> act(ctx, false));
  }

  record Group(String id, Map<String, Object> signature, List<String> idents) {}

  record Scan(List<Group> groups, boolean truncated) {}

  Scan scan(String c) {
    Map<String, Group> byId = new LinkedHashMap<>();
    String cursor = null;
    int seen = 0;
    boolean more = true;
    while (more && seen < Limits.ERROR_SCAN) {
      Page<String> page =
          cairn.idsByStatus(c, Status.ERROR, cursor, Math.min(1000, Limits.ERROR_SCAN - seen));
      for (String ident : page.items()) {
        Resource r = cairn.resource(c, ident);
        if (r.status() != Status.ERROR) {
          continue;
        }
        Map<String, Object> sig = signature(r.error() == null ? "" : r.error());
        String id = id(sig);
        byId.computeIfAbsent(id, k -> new Group(k, sig, new ArrayList<>())).idents().add(ident);
      }
      seen += page.items().size();
      more = page.hasMore();
      cursor = page.nextCursor();
    }
    List<Group> groups = new ArrayList<>(byId.values());
    groups.sort(Comparator.comparingInt((Group g) -> -g.idents().size()).thenComparing(Group::id));
    return new Scan(groups, more);
  }

  static Map<String, Object> signature(String error) {
    List<String> lines = error.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    Map<String, Object> sig = new LinkedHashMap<>();
    String first = lines.isEmpty() ? "" : lines.get(0);
    List<String> frames =
        lines.stream()
            .filter(l -> l.startsWith("at "))
            .limit(FRAMES)
            .map(l -> l.substring(3))
            .toList();
    Matcher m = EXIT.matcher(first);
    if (frames.isEmpty() && m.find()) {
      sig.put("exit_code", Integer.parseInt(m.group(1)));
      sig.put("last_line", lines.get(lines.size() - 1));
      return sig;
    }
    int colon = first.indexOf(':');
    sig.put("type", colon > 0 ? first.substring(0, colon) : first);
    sig.put("frames", frames);
    return sig;
  }

  private static String id(Map<String, Object> sig) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(JsonText.write(sig).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void list(Context ctx) {
    String c = collections.known(ctx);
    Scan s = scan(c);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Group g : s.groups()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", g.id());
      m.putAll(g.signature());
      m.put("count", g.idents().size());
      String ex = g.idents().get(0);
      Resource r = cairn.resource(c, ex);
      m.put(
          "example",
          Map.of(
              "ident",
              ex,
              "message",
              r.error() == null ? "" : r.error().lines().findFirst().orElse(""),
              "url",
              CollectionRoutes.resourceUrl(c, ex)));
      out.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", c);
    doc.put("groups", out);
    doc.put("truncated", s.truncated());
    Http.json(ctx, 200, doc);
  }

  /** Body {@code {"group": id}} or {@code {"all": true}}. */
  private void act(Context ctx, boolean retry) {
    String c = collections.known(ctx);
    Map<String, Object> body = JsonText.readBody(ctx.bodyAsBytes());
    Object group = body.get("group");
    boolean all = Boolean.TRUE.equals(body.get("all"));
    if ((group == null) == !all) {
      throw ApiProblem.badParameter(
          "group", "send either {\"group\": \"<id>\"} or {\"all\": true}", List.of("group", "all"));
    }
    long n;
    if (all && retry) {
      n = cairn.reset(c, Status.ERROR);
    } else {
      Scan s = scan(c);
      List<String> idents = new ArrayList<>();
      if (all) {
        s.groups().forEach(g -> idents.addAll(g.idents()));
      } else {
        Group g =
            s.groups().stream()
                .filter(x -> x.id().equals(group))
                .findFirst()
                .orElseThrow(
                    () ->
                        ApiProblem.notFound(
                            "group",
                            String.valueOf(group),
                            s.groups().stream().map(Group::id).toList()));
        idents.addAll(g.idents());
      }
      n = retry ? cairn.requeue(c, idents) : cairn.abort(c, idents);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", c);
    doc.put(retry ? "requeued" : "aborted", n);
    Http.json(ctx, 200, doc);
  }
}
