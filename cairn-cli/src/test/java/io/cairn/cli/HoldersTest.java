package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.Cairn;
import io.cairn.internal.engine.OwnerIds;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import io.cairn.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn status}, {@code ls --status running} and {@code show} name the worker process (host,
 * pid) that holds a running resource, and since when, while a real {@code cairn worker} child runs
 * slow items: on PostgreSQL and on a SQLite home, plain and {@code --json}.
 */
class HoldersTest {
  private static final List<String> SLOW = List.of("slow-1", "slow-2");

  @TempDir Path dir;

  @Test
  void statusLsAndShowNameTheWorkerHoldingRunningItemsOnPostgres() throws Exception {
    checkHolders(Postgres.freshDatabase().url());
  }

  @Test
  void statusLsAndShowNameTheWorkerHoldingRunningItemsOnSqlite() throws Exception {
    checkHolders(null);
  }

  private void checkHolders(String url) throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    long before = System.currentTimeMillis();
    try (Cairn cairn = WorkerStopReportTest.open(home, url)) {
      cairn.submit("naps", SLOW, Map.of("ms", 120_000));
      cairn.submit("naps", List.of("quick"), Map.of("ms", 0));
    }
    try (ChildJvm worker = ChildJvm.start(Main.class, workerArgs(home, url))) {
      String pid = Long.toString(worker.pid());
      Await.until(
          "the worker to hold both slow items and finish the quick one",
          Duration.ofSeconds(60),
          () -> {
            JsonNode s = cli(home, url, "status", "naps", "--json").json();
            JsonNode row = s.get("collections").get(0);
            return row.get("running").asLong() == 2 && row.get("completed").asLong() == 1;
          });

      // status: one row per worker and collection.
      JsonNode holders = cli(home, url, "status", "--json").json().get("holders");
      assertThat(holders).hasSize(1);
      JsonNode share = holders.get(0);
      assertThat(share.get("collection").asText()).isEqualTo("naps");
      assertThat(share.get("host").asText()).isEqualTo(OwnerIds.host());
      assertThat(share.get("pid").asText()).isEqualTo(pid);
      assertThat(share.get("running").asLong()).isEqualTo(2);
      assertThat(share.get("leaseExpired").asLong()).isZero();
      assertSince(share.get("since"), before);
      CliRun status = cli(home, url, "status");
      assertThat(status.out()).contains("held by").contains(OwnerIds.host()).contains(pid);
      assertThat(status.out().lines().filter(l -> l.contains(pid)).findFirst().orElseThrow())
          .contains("naps")
          .contains("live");

      // ls --status running: the holder of each ident in JSON; idents alone when piped.
      JsonNode ls = cli(home, url, "ls", "naps", "--status", "running", "--json").json();
      assertThat(ls.get("ids"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrderElementsOf(SLOW);
      assertThat(ls.get("holders")).hasSize(2);
      for (JsonNode h : ls.get("holders")) {
        assertThat(h.get("ident").asText()).isIn(SLOW);
        assertThat(h.get("host").asText()).isEqualTo(OwnerIds.host());
        assertThat(h.get("pid").asText()).isEqualTo(pid);
        assertThat(h.get("owner").asText()).startsWith(OwnerIds.host() + ":" + pid + ":");
        assertThat(h.get("leaseExpired").asBoolean()).isFalse();
        assertSince(h.get("since"), before);
        assertThat(Instant.parse(h.get("leaseUntil").asText()))
            .isAfter(Instant.parse(h.get("since").asText()));
      }
      assertThat(cli(home, url, "ls", "naps", "--status", "running").out().lines().sorted())
          .containsExactlyElementsOf(SLOW);

      // show: the holder of a running item; none for a finished one.
      JsonNode shown = cli(home, url, "show", "naps", "slow-1", "--json").json();
      assertThat(shown.get("holder").get("pid").asText()).isEqualTo(pid);
      assertThat(shown.get("holder").get("since").asText())
          .isEqualTo(shown.get("startedAt").asText());
      assertThat(cli(home, url, "show", "naps", "slow-2").out())
          .containsPattern("held by +" + OwnerIds.host() + " pid " + pid + " since ")
          .contains("lease expires in");
      assertThat(cli(home, url, "show", "naps", "quick", "--json").json().get("holder").isNull())
          .isTrue();
      assertThat(cli(home, url, "show", "naps", "quick").out()).doesNotContain("held by");

      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
    }
    // Stopped: it gave its items back, and nobody holds anything.
    JsonNode after = cli(home, url, "status", "--json").json();
    assertThat(after.get("holders")).isEmpty();
    // Interrupted by the stop (no drain), not failed: back in the queue, no attempt spent.
    JsonNode naps = cli(home, url, "status", "naps", "--json").json().get("collections").get(0);
    assertThat(naps.get("queued").asLong()).as(naps.toString()).isEqualTo(2);
    assertThat(naps.get("error").asLong()).as(naps.toString()).isZero();
    assertThat(cli(home, url, "status").out()).doesNotContain("held by");
  }

  @Test
  void pipelineStatusNamesTheWorkerHoldingAScriptJobOnPostgres() throws Exception {
    String url = Postgres.freshDatabase().url();
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("in"));
    Files.writeString(home.resolve("in/a.txt"), "1\n");
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        """
        pipeline: naps
        repositories:
          in:  {type: files, dir: %1$s/in, ext: .txt}
          out: {type: files, dir: %1$s/out, ext: .txt}
        tasks:
          nap:
            script: "sleep 120; cat {{links.in}}"
            inputs: {in: in}
            outputs: {out: out}
            stdout: out
        """
            .formatted(home));
    String[] base = {"--home", home.toString(), "--store", url};
    try (ChildJvm scheduler =
            ChildJvm.start(Main.class, with(base, "run", "-f", file.toString(), "--workers", "0"));
        ChildJvm worker =
            ChildJvm.start(
                Main.class,
                with(base, "worker", "-f", file.toString(), "--threads", "1", "--drain", "0"))) {
      String pid = Long.toString(worker.pid());
      Await.until(
          "the worker to hold the job",
          Duration.ofSeconds(60),
          () -> {
            CliRun s = CliRun.raw(with(base, "status", "-f", file.toString(), "--json"));
            return s.code() == 0 && s.json().get("holders").size() == 1;
          });
      JsonNode share =
          cli(home, url, "status", "-f", file.toString(), "--json").json().get("holders").get(0);
      assertThat(share.get("collection").asText()).isEqualTo("naps.nap");
      assertThat(share.get("host").asText()).isEqualTo(OwnerIds.host());
      assertThat(share.get("pid").asText()).isEqualTo(pid);
      assertThat(share.get("running").asLong()).isEqualTo(1);
      assertThat(cli(home, url, "status", "-f", file.toString()).out())
          .contains("held by")
          .contains("naps.nap");
      worker.terminate();
      scheduler.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
      scheduler.waitFor(Duration.ofSeconds(60));
    }
  }

  private static String[] with(String[] base, String... args) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static void assertSince(JsonNode since, long notBefore) {
    Instant t = Instant.parse(since.asText());
    // Started after the items were submitted, and not in the future: a time zone slip (the
    // PostgreSQL test server is at +05:45) would show as hours off.
    assertThat(t.toEpochMilli()).isBetween(notBefore - 2_000, System.currentTimeMillis() + 2_000);
  }

  private static CliRun cli(Path home, String url, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    if (url != null) {
      all.addAll(List.of("--store", url));
    }
    all.addAll(List.of(args));
    CliRun run = CliRun.raw(all.toArray(String[]::new));
    assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run;
  }

  private String[] workerArgs(Path home, String url) throws Exception {
    Path jar = WorkerProcessTest.exampleJar(dir.resolve("example.jar"));
    List<String> args = new ArrayList<>(List.of("--home", home.toString()));
    if (url != null) {
      args.addAll(List.of("--store", url));
    }
    args.addAll(
        List.of(
            "worker",
            "--classpath",
            jar.toString(),
            "--collections",
            "naps",
            "--threads",
            "3",
            "--drain",
            "0"));
    return args.toArray(String[]::new);
  }
}
