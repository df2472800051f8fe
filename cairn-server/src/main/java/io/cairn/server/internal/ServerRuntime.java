package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.CairnClient;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The running server: Javalin on Jetty with a bounded, named thread pool, every route registered up
 * front, the security check before each request and problem details for every failure. {@link
 * io.cairn.server.CairnServer} is its public face.
 */
public final class ServerRuntime implements AutoCloseable {
  /** What {@link io.cairn.server.CairnServer.Builder} collected, checked there. */
  public record Settings(
      String bind,
      int port,
      String token,
      int workers,
      boolean metricsOpen,
      List<String> corsOrigins) {}

  private final Javalin app;
  private final Security security;
  private final Sampler sampler;
  private final Triggers triggers;
  private final CairnClient client;
  private final List<String> routes = new ArrayList<>();
  private final String host;

  public ServerRuntime(Cairn cairn, List<Pipeline> pipelines, Settings s) {
    String token = Security.loadOrCreateToken(cairn.home(), s.token());
    this.security = new Security(token, s.metricsOpen(), s.corsOrigins());
    // A view over the Cairn's own stores: maps read alike on SQLite and PostgreSQL.
    this.client = CairnClient.over(cairn);
    this.sampler = new Sampler(cairn);
    this.triggers = new Triggers(cairn, pipelines, s.workers());
    Map<String, String> taskOf = new HashMap<>();
    for (Pipeline p : pipelines) {
      for (PipelineTask t : p.tasks()) {
        taskOf.put(p.collectionOf(t.name()), p.name() + "/" + t.name());
      }
    }
    LiveStream live = new LiveStream(sampler);
    Metrics metrics = new Metrics(cairn, sampler, live);
    CollectionRoutes collections = new CollectionRoutes(cairn, sampler, triggers, taskOf);
    ErrorGroups errors = new ErrorGroups(cairn, collections);
    PipelineRoutes pipelineRoutes = new PipelineRoutes(cairn, pipelines, triggers);
    JobRoutes jobRoutes = new JobRoutes(cairn, pipelineRoutes, triggers);
    Dashboard dashboard = new Dashboard();
    MapRoutes maps = new MapRoutes(client);
    CatalogRoutes catalogRoutes = new CatalogRoutes(cairn.catalog());
    this.host = s.bind();
    try {
      this.app =
          Javalin.create(
              config -> {
                configure(config, s);
                config.events.handlerAdded(
                    m -> routes.add(m.getHttpMethod().name() + " " + m.getPath()));
                var r = config.routes;
                r.exception(Exception.class, Problems::handle);
                r.error(
                    404,
                    "*",
                    ctx ->
                        unmatched(
                            ctx,
                            404,
                            "no such route: "
                                + ctx.method()
                                + " "
                                + ctx.path()
                                + "; see /api/v1/openapi.json"));
                r.error(
                    405,
                    "*",
                    ctx -> unmatched(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
                r.before(this::limits);
                r.before(security::check);
                r.after(
                    ctx -> {
                      metrics.requests.increment();
                      if (ctx.status().getCode() >= 400) {
                        metrics.problems.increment();
                      }
                    });
                r.get("/health", ctx -> Http.json(ctx, 200, Map.of("status", "ok")));
                r.get("/login", security::login);
                r.get("/metrics", metrics::serve);
                r.get("/api/v1", ServerRuntime::index);
                r.get("/api/v1/openapi.json", ServerRuntime::openApi);
                collections.register(r);
                errors.register(r);
                pipelineRoutes.register(r);
                jobRoutes.register(r);
                dashboard.register(r);
                maps.register(r);
                catalogRoutes.register(r);
                r.before("/api/v1/events", live::check);
                r.sse("/api/v1/events", live::open);
              });
      app.start(s.bind(), s.port());
    } catch (JavalinBindException e) {
      closeQuietly();
      java.net.BindException taken =
          new java.net.BindException(
              "port "
                  + s.port()
                  + " on "
                  + s.bind()
                  + " is in use; choose another (0 picks a free one)");
      taken.initCause(e);
      throw new java.io.UncheckedIOException(taken);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    security.selfOrigin("http://" + originHost(s.bind()) + ":" + app.port());
  }

  private static void configure(JavalinConfig config, Settings s) {
    QueuedThreadPool pool = new QueuedThreadPool(Limits.MAX_HTTP_THREADS, 4, 60_000);
    pool.setName("cairn-http");
    config.jetty.threadPool = pool;
    config.http.maxRequestSize = Limits.MAX_BODY_BYTES;
    config.http.prefer405over404 = true;
    config.startup.showJavalinBanner = false;
    config.jetty.modifyServer(
        server -> {
          for (var c : server.getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.AbstractConnector a) {
              a.setIdleTimeout(Limits.IDLE_TIMEOUT_MS);
            }
          }
        });
  }

  private static String originHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("127.0.0.1") ? "127.0.0.1" : bind;
  }

  private void limits(Context ctx) {
    long len = ctx.req().getContentLengthLong();
    if (len > Limits.MAX_BODY_BYTES) {
      throw ApiProblem.tooLarge(
          "request body too large: " + len + " bytes, at most " + Limits.MAX_BODY_BYTES);
    }
    String q = ctx.queryString();
    if (q != null && q.length() > 4 * Limits.MAX_QUERY_VALUE) {
      throw ApiProblem.badParameter(
          "query",
          "query string too long: at most " + 4 * Limits.MAX_QUERY_VALUE + " characters",
          null);
    }
  }

  private static void unmatched(Context ctx, int status, String detail) {
    String ct = ctx.res().getContentType();
    if (ct == null || !ct.startsWith(Problems.TYPE)) {
      Problems.write(ctx, status, detail, Map.of());
    }
  }

  private static void index(Context ctx) {
    Http.json(
        ctx,
        200,
        Map.of(
            "collections", CollectionRoutes.BASE,
            "pipelines", PipelineRoutes.BASE,
            "maps", MapRoutes.BASE,
            "catalog", CatalogRoutes.BASE + "/objects",
            "events", "/api/v1/events",
            "running", CollectionRoutes.RUNNING,
            "openapi", "/api/v1/openapi.json"));
  }

  private static void openApi(Context ctx) throws IOException {
    try (InputStream in =
        ServerRuntime.class.getResourceAsStream("/io/cairn/server/openapi.json")) {
      ctx.contentType("application/json")
          .result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  public int port() {
    return app.port();
  }

  public String host() {
    return originHost(host);
  }

  /** A new one-time login URL. */
  public String loginUrl() {
    return "http://" + host() + ":" + port() + "/login?code=" + security.newLoginCode();
  }

  public boolean runsWorker() {
    return triggers.hasWorker();
  }

  /** "METHOD /path" of every route, as registered. */
  List<String> routes() {
    return List.copyOf(routes);
  }

  @Override
  public void close() {
    app.stop();
    closeQuietly();
  }

  private void closeQuietly() {
    if (triggers != null) {
      triggers.close();
    }
    if (sampler != null) {
      sampler.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
