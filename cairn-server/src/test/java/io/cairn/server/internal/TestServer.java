package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.postgres.PostgresStore;
import io.cairn.server.CairnServer;
import io.cairn.testkit.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real server per store and test JVM on an ephemeral port, over a home in a temp directory
 * whose state is its SQLite file ({@link #get}) or a PostgreSQL database on the testkit's server
 * ({@link #onPostgres}), with a collection, a pipeline with a parameterized task and a durable map.
 * The API test classes take theirs from {@code server()}; their {@code *OnPostgresTest} subclasses
 * override it.
 */
final class TestServer {
  static final AtomicInteger GREETS = new AtomicInteger();
  private static TestServer sqlite;
  private static TestServer postgres;

  final Path home;
  final Cairn cairn;
  final CairnServer server;
  final String token;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(boolean onPostgres) throws IOException {
    home = Files.createTempDirectory("cairn-server-test");
    cairn = openCairn(home, onPostgres);
    cairn.collection(
        "squares",
        (ident, args, ctx) -> {
          if (ident.startsWith("bad-")) {
            throw new IllegalStateException("cannot square " + ident);
          }
          if (ident.startsWith("odd-")) {
            throw new ArithmeticException("odd " + ident);
          }
          ctx.log().info("squaring {}", ident);
          Files.writeString(ctx.storage().resolve("note.txt"), "note of " + ident);
          long n = Long.parseLong(ident.replaceAll("\\D", ""));
          return Map.of("square", n * n);
        });
    for (String id : List.of("n1", "n2", "n3", "m4", "bad-1", "bad-2", "odd-3")) {
      try {
        cairn.fetch("squares", id);
      } catch (RuntimeException e) {
        // ERROR resources are part of the fixture.
      }
    }
    cairn.collection(
        "fails",
        (ident, args, ctx) -> {
          throw ident.startsWith("x")
              ? new IllegalStateException("no " + ident)
              : new ArithmeticException(ident);
        });
    for (String id : List.of("x1", "x2", "y1")) {
      try {
        cairn.fetch("fails", id);
      } catch (RuntimeException e) {
        // ERROR resources are part of the fixture.
      }
    }
    cairn.collection("live", (ident, args, ctx) -> ident);
    cairn.collection("fetched", (ident, args, ctx) -> Map.of("ident", ident));
    cairn.fetch("fetched", "n0");
    cairn.map("settings").put("a", Map.of("x", 1));
    cairn.map("settings").put("b", "two");
    cairn.map("settings").sync();
    Pipeline p =
        Pipeline.builder("demo")
            .task(
                PipelineTask.java(
                        "greet",
                        (job, ctx) -> {
                          GREETS.incrementAndGet();
                          ctx.log().info("greeting {}", job.params().get("name"));
                          ctx.writeOutput(
                              "greeting.txt",
                              ("hello " + job.params().get("name"))
                                  .getBytes(StandardCharsets.UTF_8));
                          return Map.of("ok", true);
                        })
                    .param("name", ParamType.STRING)
                    .param("times", ParamType.INT, 1))
            .build();
    server = CairnServer.builder(cairn).pipelines(List.of(p)).port(0).workers(1).start();
    token = Files.readString(home.resolve("server-token")).trim();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close));
  }

  private static Cairn openCairn(Path home, boolean onPostgres) {
    if (!onPostgres) {
      return Cairn.open(home);
    }
    Postgres.Database db = Postgres.freshDatabase();
    return Cairn.builder().home(home).stateStore(PostgresStore.open(db.url(), 4)).open();
  }

  /** The server over a SQLite home. */
  static synchronized TestServer get() {
    if (sqlite == null) {
      sqlite = start(false);
    }
    return sqlite;
  }

  /** The server over a home whose state is in PostgreSQL. */
  static synchronized TestServer onPostgres() {
    if (postgres == null) {
      postgres = start(true);
    }
    return postgres;
  }

  private static TestServer start(boolean onPostgres) {
    try {
      return new TestServer(onPostgres);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void close() {
    server.close();
    cairn.close();
  }

  URI uri(String path) {
    return URI.create(server.baseUrl() + path);
  }

  HttpRequest.Builder authed(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token);
  }

  HttpResponse<String> get(String path) {
    return send(authed(path).GET().build());
  }

  HttpResponse<String> post(String path, String json) {
    return send(
        authed(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
