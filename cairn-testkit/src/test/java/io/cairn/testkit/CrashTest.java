package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.Why;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs: killed with SIGKILL mid-computation, and racing on one home. */
class CrashTest {
  @TempDir Path dir;

  @Test
  void killDuringComputeKeepsEveryCompletedResultAndRecomputesTheInterruptedOne() throws Exception {
    Path home = dir.resolve("home");
    try (ChildJvm child =
        ChildJvm.start(CrashChild.class, "compute-then-hang", home.toString(), "50")) {
      child.awaitLine("COMPUTING hang", Duration.ofSeconds(60));
      child.kill();
      List<String> acknowledged = child.lines().stream().filter(l -> l.startsWith("DONE")).toList();
      assertThat(acknowledged).hasSize(50);
    }
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.stats("work").count(Status.COMPLETED)).isEqualTo(50);
      for (int i = 0; i < 50; i++) {
        Resource r = cairn.resource("work", "done-" + i);
        assertThat(r.status()).isEqualTo(Status.COMPLETED);
        assertThat(r.result())
            .isEqualTo(Map.of("ident", "done-" + i, "len", ("done-" + i).length()));
      }
      assertThat(cairn.status("work", "hang")).isEqualTo(Status.RUNNING);
      assertThat(cairn.log("work", "hang")).contains("started, about to hang");
      Await.until(
          "the dead child's lease to expire",
          Duration.ofSeconds(30),
          () -> cairn.why("work", "hang").reason() == Why.Reason.INTERRUPTED);
      cairn.collection("work", (ident, args, ctx) -> "recomputed " + ident);
      Resource again = cairn.fetch("work", "hang");
      assertThat(again.status()).isEqualTo(Status.COMPLETED);
      assertThat(again.result()).isEqualTo("recomputed hang");
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(cairn.fetch("work", "done-7").result())
          .isEqualTo(Map.of("ident", "done-7", "len", 6));
      assertThat(cairn.stats("work").count(Status.RUNNING)).isZero();
    }
    HomeInvariants.assertHealthy(home);
  }

  @Test
  void twoProcessesWithFourThreadsEachComputeEveryIdentExactlyOnce() throws Exception {
    Path home = dir.resolve("home");
    Path record = dir.resolve("computed.txt");
    try (ChildJvm a =
            ChildJvm.start(CrashChild.class, "race", home.toString(), record.toString(), "200");
        ChildJvm b =
            ChildJvm.start(CrashChild.class, "race", home.toString(), record.toString(), "200")) {
      assertThat(a.waitFor(Duration.ofSeconds(120))).isZero();
      assertThat(b.waitFor(Duration.ofSeconds(120))).isZero();
    }
    List<String> computed = Files.readAllLines(record);
    assertThat(computed).hasSize(200);
    assertThat(new HashSet<>(computed)).hasSize(200);
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.stats("race").count(Status.COMPLETED)).isEqualTo(200);
    }
    HomeInvariants.assertHealthy(home);
  }

  @Test
  void twoProcessesFetchingAllOfTenThousandIdentsComputeEachOnce() throws Exception {
    Path home = dir.resolve("home");
    Path ra = dir.resolve("a.txt");
    Path rb = dir.resolve("b.txt");
    try (ChildJvm a =
            ChildJvm.start(CrashChild.class, "bulk-race", home.toString(), ra.toString(), "10000");
        ChildJvm b =
            ChildJvm.start(
                CrashChild.class, "bulk-race", home.toString(), rb.toString(), "10000")) {
      assertThat(a.waitFor(Duration.ofSeconds(120))).isZero();
      assertThat(b.waitFor(Duration.ofSeconds(120))).isZero();
    }
    List<String> all = new ArrayList<>(Files.readAllLines(ra));
    all.addAll(Files.readAllLines(rb));
    Set<String> distinct = new HashSet<>(all);
    assertThat(all).hasSize(10_000);
    assertThat(distinct).hasSize(10_000);
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.stats("bulk").count(Status.COMPLETED)).isEqualTo(10_000);
      assertThat(cairn.stats("bulk").total()).isEqualTo(10_000);
    }
    HomeInvariants.assertHealthy(home);
  }
}
