package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LiveAndMetricsTest {
  final TestServer s = server();

  /** The server these tests run against; the PostgreSQL subclass gives its own. */
  TestServer server() {
    return TestServer.get();
  }

  @Test
  void metricsArePrometheusTextBehindTheToken() {
    HttpResponse<String> r = s.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("# TYPE cairn_resources gauge")
        .contains("cairn_resources{collection=\"squares\",status=\"completed\"} ")
        .contains("cairn_queue_depth{collection=\"squares\"}")
        .contains("jvm_memory_used_bytes ")
        .contains("# TYPE cairn_lease_takeovers_total counter")
        .contains("cairn_lease_takeovers_total 0")
        .contains("# TYPE cairn_commit_seconds histogram")
        .contains("cairn_commit_seconds_bucket{le=\"0.001\"} ")
        .contains("cairn_commit_seconds_sum ");
    long inf = metric(r.body(), "cairn_commit_seconds_bucket{le=\"+Inf\"}");
    // The fixture's fetches committed through this server's engine.
    assertThat(inf).isPositive().isEqualTo(metric(r.body(), "cairn_commit_seconds_count"));
  }

  private static long metric(String body, String name) {
    return body.lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + body));
  }

  @Test
  void theStreamSendsCoalescedCountsAndWatchedResources() throws Exception {
    HttpResponse<InputStream> r =
        s.http.send(
            s.authed("/api/v1/events?watch=live/w1")
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader b =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String l; (l = b.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (java.io.IOException e) {
                // the stream ends when the test closes it
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      Await.until("a counts event", Duration.ofSeconds(5), () -> lines.contains("event: counts"));
    } catch (AssertionError e) {
      throw new AssertionError("got " + lines + " headers " + r.headers().map(), e);
    }
    s.cairn.fetch("live", "w1");
    Await.until(
        "a resource event for the watched resource",
        Duration.ofSeconds(10),
        () ->
            lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"ident\":\"w1\"")));
    assertThat(lines.stream().filter(l -> l.equals("event: resource")).count()).isEqualTo(1);
    r.body().close();
    ApiSecurityTest.problem(s.get("/api/v1/events?watch=nocollection"), 400);
  }
}
