package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testkit.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineApiTest {
  final TestServer s = server();

  /** The server these tests run against; the PostgreSQL subclass gives its own. */
  TestServer server() {
    return TestServer.get();
  }

  @Test
  void pipelinesTasksParametersAndGraph() {
    JsonNode list = Golden.parse(s.get("/api/v1/pipelines").body());
    assertThat(list.get("pipelines").get(0).get("name").asText()).isEqualTo("demo");
    Golden.check("pipeline-demo", s.get("/api/v1/pipelines/demo").body());
    HttpResponse<String> graph = s.get("/api/v1/pipelines/demo/graph");
    assertThat(graph.statusCode()).isEqualTo(200);
    assertThat(Golden.parse(graph.body()).get("nodes").get(0).get("task").asText())
        .isEqualTo("greet");
    JsonNode unknown = ApiSecurityTest.problem(s.get("/api/v1/pipelines/nope"), 404);
    assertThat(unknown.get("known").toString()).contains("demo");
    ApiSecurityTest.problem(s.get("/api/v1/pipelines/demo/tasks/nope/jobs/abc"), 404);
    ApiSecurityTest.problem(s.get("/api/v1/pipelines/demo/tasks/greet/jobs/a%20b"), 400);
  }

  @Test
  void triggerPollOutputAndRetriggerRunsNothing() throws Exception {
    HttpResponse<String> t =
        s.post("/api/v1/pipelines/demo/tasks/greet/jobs", "{\"params\":{\"name\":\"ada\"}}");
    assertThat(t.statusCode()).as(t.body()).isEqualTo(202);
    JsonNode trig = Golden.parse(t.body());
    String job = trig.get("job").asText();
    assertThat(job).hasSize(16);
    assertThat(trig.get("params").get("times").asInt()).isEqualTo(1);
    String statusUrl = trig.get("status_url").asText();
    Await.until(
        "the triggered job completes",
        Duration.ofSeconds(30),
        () -> {
          HttpResponse<String> p = s.get(statusUrl);
          assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
          return Golden.parse(p.body()).get("status").asText().equals("completed");
        });
    JsonNode polled = Golden.parse(s.get(statusUrl).body());
    assertThat(polled.get("attempts").asInt()).isEqualTo(1);
    assertThat(polled.get("params").get("name").asText()).isEqualTo("ada");
    String outputUrl = null;
    for (JsonNode o : polled.get("outputs")) {
      if (o.get("name").asText().equals("greeting.txt")) {
        outputUrl = o.get("url").asText();
      }
    }
    assertThat(outputUrl).isNotNull();
    assertThat(s.get(outputUrl).body()).isEqualTo("hello ada");
    assertThat(s.get(polled.get("log_url").asText()).body()).contains("greeting ada");
    int runs = TestServer.GREETS.get();

    HttpResponse<String> again =
        s.post(
            "/api/v1/pipelines/demo/tasks/greet/jobs",
            "{\"params\":{\"times\":1,\"name\":\"ada\"}}");
    assertThat(again.statusCode()).isEqualTo(200);
    JsonNode second = Golden.parse(again.body());
    assertThat(second.get("job").asText()).isEqualTo(job);
    assertThat(second.get("scheduled").asBoolean()).isFalse();
    assertThat(second.get("status").asText()).isEqualTo("completed");
    assertThat(TestServer.GREETS.get()).isEqualTo(runs);
    assertThat(Golden.parse(s.get(statusUrl).body()).get("attempts").asInt()).isEqualTo(1);
    JsonNode status = Golden.parse(s.get("/api/v1/pipelines/demo/status").body());
    assertThat(status.get("tasks").get(0).get("counts").get("completed").asLong()).isPositive();
  }

  @Test
  void aStartedRunAnswers202AndIsFollowedByItsUrlToTheEnd() throws Exception {
    HttpResponse<String> started = s.post("/api/v1/pipelines/demo/runs", "{\"tasks\":[\"greet\"]}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode run = Golden.parse(started.body());
    assertThat(run.get("pipeline").asText()).isEqualTo("demo");
    assertThat(run.get("what").asText()).isEqualTo("greet");
    String url = run.get("url").asText();
    assertThat(url).isEqualTo("/api/v1/pipelines/demo/runs/" + run.get("id").asLong());
    Await.until(
        "the run ends",
        Duration.ofSeconds(30),
        () -> Golden.parse(s.get(url).body()).get("done").asBoolean());
    JsonNode ended = Golden.parse(s.get(url).body());
    assertThat(ended.get("failure").isNull()).as(ended.toString()).isTrue();
    assertThat(ended.get("failed").asLong()).isZero();
    assertThat(ended.get("ended_ms").asLong())
        .isGreaterThanOrEqualTo(ended.get("started_ms").asLong());
    JsonNode status = Golden.parse(s.get("/api/v1/pipelines/demo/status").body());
    assertThat(status.get("runs").findValuesAsText("url")).contains(url);
  }

  @Test
  void aRunOfANonParameterizedSelectionIsTrackedByItsUrl() {
    ApiSecurityTest.problem(s.post("/api/v1/pipelines/demo/runs", "{\"tasks\":[\"nope\"]}"), 400);
    ApiSecurityTest.problem(s.post("/api/v1/pipelines/demo/runs/1", "{}"), 405);
    ApiSecurityTest.problem(s.get("/api/v1/pipelines/demo/runs/999999"), 404);
  }
}
