package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.Cairn;
import io.cairn.pipeline.ParamType;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.s3.S3BlobStore;
import io.cairn.s3.S3Options;
import io.cairn.server.CairnServer;
import io.cairn.testkit.Await;
import io.cairn.testkit.S3Server;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With S3 blobs, the server answers downloads of job outputs and resource files with a redirect to
 * a short-lived presigned URL that works without the server's token or S3 credentials.
 */
class S3DownloadsTest {
  @TempDir Path home;
  private Cairn cairn;
  private CairnServer server;
  private String token;
  private final S3Server s3 = S3Server.shared();
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void start() throws Exception {
    S3Options options =
        S3Options.defaults()
            .withEndpoint(s3.endpoint())
            .withRegion(S3Server.REGION)
            .withCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
    cairn =
        Cairn.builder()
            .home(home)
            .blobStore(S3BlobStore.open("s3://" + s3.newBucket() + "/proj", options))
            .open();
    cairn.collection(
        "notes",
        (ident, args, ctx) -> {
          Files.writeString(ctx.storage().resolve("note.txt"), "note of " + ident);
          return ident;
        });
    Pipeline p =
        Pipeline.builder("demo")
            .task(
                PipelineTask.java(
                        "greet",
                        (job, ctx) -> {
                          ctx.writeOutput(
                              "greeting.txt",
                              ("hello " + job.params().get("name"))
                                  .getBytes(StandardCharsets.UTF_8));
                          return null;
                        })
                    .param("name", ParamType.STRING))
            .build();
    server = CairnServer.builder(cairn).pipelines(List.of(p)).port(0).workers(1).start();
    token = Files.readString(home.resolve("server-token")).trim();
  }

  @AfterEach
  void stop() {
    server.close();
    cairn.close();
  }

  private HttpResponse<String> get(String pathOrUrl, boolean authed) {
    URI uri =
        pathOrUrl.startsWith("http")
            ? URI.create(pathOrUrl)
            : URI.create(server.baseUrl() + pathOrUrl);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    if (authed) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The presigned URL a download redirects to: on the S3 endpoint, signed, short-lived. */
  private String redirectOf(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(307);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location)
        .startsWith(s3.endpoint().toString())
        .contains("X-Amz-Signature=")
        .contains("X-Amz-Expires=300");
    return location;
  }

  @Test
  void aJobOutputRedirectsToAPresignedUrlThatWorksWithoutCredentials() throws Exception {
    HttpRequest trigger =
        HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/api/v1/pipelines/demo/tasks/greet/jobs"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"name\":\"ada\"}}"))
            .build();
    HttpResponse<String> t = http.send(trigger, HttpResponse.BodyHandlers.ofString());
    assertThat(t.statusCode()).as(t.body()).isEqualTo(202);
    String statusUrl = Golden.parse(t.body()).get("status_url").asText();
    Await.until(
        "the job completes",
        Duration.ofSeconds(30),
        () -> Golden.parse(get(statusUrl, true).body()).get("status").asText().equals("completed"));
    String outputUrl = null;
    for (JsonNode o : Golden.parse(get(statusUrl, true).body()).get("outputs")) {
      if (o.get("name").asText().equals("greeting.txt")) {
        outputUrl = o.get("url").asText();
      }
    }
    assertThat(outputUrl).isNotNull();

    String location = redirectOf(get(outputUrl, true));

    HttpResponse<String> direct = get(location, false);
    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(direct.body()).isEqualTo("hello ada");
    assertThat(location).doesNotContain(S3Server.SECRET_KEY);
    HttpResponse<String> missing = get(outputUrl.replace("greeting.txt", "nothing.txt"), true);
    assertThat(missing.statusCode())
        .as("a missing output is still the server's 404")
        .isEqualTo(404);
    assertThat(get(outputUrl, false).statusCode())
        .as("no redirect without the token")
        .isEqualTo(401);
  }

  @Test
  void aResourceFileIsListedFromTheBucketAndRedirectsToAPresignedUrl() throws Exception {
    cairn.fetch("notes", "n 1");
    // Another machine's server has no local copy: only the bucket has the file.
    Path storage = cairn.resource("notes", "n 1").paths().storage();
    try (var files = Files.walk(storage)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }

    String ident = URLEncoder.encode("n 1", StandardCharsets.UTF_8);
    JsonNode list =
        Golden.parse(get("/api/v1/collections/notes/resource/files?ident=" + ident, true).body());
    assertThat(list.get("files")).hasSize(1);
    assertThat(list.get("files").get(0).get("path").asText()).isEqualTo("note.txt");
    String url = list.get("files").get(0).get("url").asText();

    HttpResponse<String> direct = get(redirectOf(get(url, true)), false);
    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(direct.body()).isEqualTo("note of n 1");
    HttpResponse<String> escape =
        get("/api/v1/collections/notes/resource/file?ident=" + ident + "&path=../x", true);
    assertThat(escape.statusCode()).isEqualTo(400);
  }
}
