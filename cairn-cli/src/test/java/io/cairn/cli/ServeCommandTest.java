package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.testkit.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn serve} as a real child process: it starts, prints a one-time login URL, answers
 * {@code /health}, refuses the API without credentials, serves the demo's pipeline found in the
 * home, and ends on SIGTERM with the conventional status after closing the home.
 */
class ServeCommandTest {
  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void servesTheHomeUntilSigterm() throws Exception {
    Path home = dir.resolve("home");
    Cairn.open(home).close();
    Path demo = Files.createDirectories(home.resolve("demo/tiny"));
    Files.writeString(
        demo.resolve("cairn.yaml"),
        """
        pipeline: tiny
        repositories:
          in:  {type: files, dir: in, ext: .txt}
          out: {type: files, dir: out, ext: .txt}
        tasks:
          copy:
            script: "cp {{links.in}} {{links.out}}"
            inputs: {in: in}
            outputs: {out: out}
        """);
    try (ChildJvm child =
        ChildJvm.start(
            Main.class, "--home", home.toString(), "serve", "--port", "0", "--workers", "0")) {
      String line = child.awaitLine("open http://127.0.0.1:", Duration.ofSeconds(60));
      String login = line.substring("open ".length());
      assertThat(login).matches("http://127\\.0\\.0\\.1:\\d+/login\\?code=[A-Za-z0-9_-]+");
      String base = login.substring(0, login.indexOf("/login"));

      HttpResponse<String> health = get(base + "/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"ok\"");

      HttpResponse<String> anonymous = get(base + "/api/v1/pipelines", null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(anonymous.body()).doesNotContain(token(home));

      HttpResponse<String> pipelines = get(base + "/api/v1/pipelines", token(home));
      assertThat(pipelines.statusCode()).isEqualTo(200);
      assertThat(pipelines.body()).contains("\"tiny\"").contains("\"copy\"");

      HttpResponse<String> first = get(login, null);
      assertThat(first.statusCode()).isEqualTo(302);
      assertThat(first.headers().firstValue("Set-Cookie").orElse(""))
          .contains("HttpOnly")
          .contains("SameSite=Strict");
      assertThat(get(login, null).statusCode()).as("the login URL works once").isEqualTo(401);

      String port = base.substring(base.lastIndexOf(':') + 1);
      CliRun taken = CliRun.cairn(home, "serve", "--port", port, "--workers", "0");
      assertThat(taken.code()).isEqualTo(2);
      assertThat(taken.err()).contains("cairn: --port " + port + " is in use on 127.0.0.1");
      assertThat(taken.out()).doesNotContain("login");

      child.terminate();
      assertThat(child.waitFor(Duration.ofSeconds(30))).isEqualTo(143);
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("server-token"))))
        .isEqualTo("rw-------");
    try (Cairn again = Cairn.open(home)) {
      assertThat(again.collections()).isNotNull();
    }
  }

  private static String token(Path home) throws Exception {
    return Files.readString(home.resolve("server-token")).trim();
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
