package io.cairn.server.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The dashboard: a few static files from the classpath (a single page that reads the JSON API and
 * the live stream) and the graph libraries from their webjars. The files are read once at start and
 * served from memory under fixed names, so no request path ever reaches a resource lookup. They
 * carry no data, so they need no credentials; the page asks the API, which does.
 */
final class Dashboard {
  static final String PREFIX = "/ui/";
  private static final String OWN = "/io/cairn/server/dashboard/";
  private static final String WEBJARS = "/META-INF/resources/webjars/";
  // Scripts only from this server, no inline script; inline style attributes are used for the
  // widths of status bars.
  private static final String CSP =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private record Asset(byte[] bytes, String type) {}

  private final Asset index;
  private final Map<String, Asset> assets;

  Dashboard() {
    index = load(OWN + "index.html", "text/html; charset=utf-8");
    assets =
        Map.of(
            "app.js", load(OWN + "app.js", "text/javascript; charset=utf-8"),
            "views.js", load(OWN + "views.js", "text/javascript; charset=utf-8"),
            "graph.js", load(OWN + "graph.js", "text/javascript; charset=utf-8"),
            "style.css", load(OWN + "style.css", "text/css; charset=utf-8"),
            "cytoscape.min.js",
                load(WEBJARS + "cytoscape/3.33.1/dist/cytoscape.min.js", "text/javascript"),
            "dagre.min.js", load(WEBJARS + "dagre/0.8.4/dist/dagre.min.js", "text/javascript"));
  }

  /** Whether a path is one of the dashboard's static files (no credentials needed). */
  static boolean isAsset(String path) {
    return path.equals("/") || path.startsWith(PREFIX);
  }

  void register(RoutesConfig r) {
    r.get("/", ctx -> send(ctx, index));
    r.get(PREFIX + "{file}", this::asset);
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("file");
    Asset a = assets.get(name);
    if (a == null) {
      throw ApiProblem.notFound("dashboard file", name, List.copyOf(assets.keySet()));
    }
    send(ctx, a);
  }

  private static void send(Context ctx, Asset a) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(a.type()).result(a.bytes());
  }

  private static Asset load(String resource, String type) {
    try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the dashboard file " + resource + " is missing from the classpath; rebuild the jar");
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
