package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn ps} shows a real runner's jobs while they run, and nothing once it is done. */
class PsCommandTest {
  @TempDir Path dir;

  @Test
  void psShowsTheRunningJobsOfALiveRunnerWithItsPidAndLease() throws Exception {
    Path home = dir.resolve("home");
    Path release = dir.resolve("release");
    Files.createDirectories(dir.resolve("in"));
    for (String k : new String[] {"a", "b"}) {
      Files.writeString(dir.resolve("in/" + k + ".txt"), k + "\n");
    }
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        """
        pipeline: held
        repositories:
          in:  {type: files, dir: in, ext: .txt}
          out: {type: files, dir: out, ext: .txt}
        tasks:
          hold:
            script: "while [ ! -f %s ]; do sleep 0.05; done; cp {{links.in}} {{links.out}}"
            inputs: {in: in}
            outputs: {out: out}
        """
            .formatted(release));
    try (ChildJvm child =
        ChildJvm.start(
            Main.class,
            "--home",
            home.toString(),
            "run",
            "-f",
            file.toString(),
            "--workers",
            "2")) {
      JsonNode[] seen = new JsonNode[1];
      Await.until(
          "both jobs to show as running",
          Duration.ofSeconds(60),
          () -> {
            if (!Files.exists(home.resolve("cairn.db"))) {
              return false;
            }
            CliRun r = cairn(home, "ps", "--json");
            seen[0] = r.code() == 0 ? r.json() : null;
            return seen[0] != null && seen[0].get("running").size() == 2;
          });
      JsonNode running = seen[0].get("running");
      Set<String> keys = new HashSet<>();
      for (JsonNode row : running) {
        keys.add(row.get("key").asText());
        assertThat(row.get("collection").asText()).isEqualTo("held.hold");
        assertThat(row.get("pid").asLong()).isEqualTo(child.pid());
        assertThat(row.get("host").asText()).isNotEmpty();
        assertThat(row.get("attempt").asInt()).isEqualTo(1);
        Instant started = Instant.parse(row.get("startedAt").asText());
        Instant lease = Instant.parse(row.get("leaseUntil").asText());
        assertThat(lease).isAfter(started);
      }
      assertThat(keys).containsExactlyInAnyOrder("a", "b");

      CliRun table = cairn(home, "ps");
      assertThat(table.code()).isZero();
      assertThat(table.outLines().get(0).split("\\s+"))
          .containsExactly("collection", "key", "host", "pid", "attempt", "running", "lease");
      assertThat(table.out()).contains("held.hold").contains(Long.toString(child.pid()));
      assertThat(table.out()).contains("expires in");

      Files.writeString(release, "go");
      assertThat(child.waitFor(Duration.ofSeconds(60))).isZero();
    }
    CliRun after = cairn(home, "ps");
    assertThat(after.code()).isZero();
    assertThat(after.out()).isEmpty();
    assertThat(after.err()).contains("nothing running in");
    assertThat(cairn(home, "ps", "--json").json().get("running").size()).isZero();
  }

  @Test
  void psOnAMissingHomeSaysSoAndBadLimitsAreRefused() {
    CliRun none = cairn(dir.resolve("nope"), "ps");
    assertThat(none.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(cairn(dir, "ps", "--limit", "0").err()).contains("--limit must be 1 to 100000");
  }
}
