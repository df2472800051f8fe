package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real processes on one home, items slower than the lease, work claimed ahead. */
class ExactlyOnceProcessTest {
  @TempDir Path dir;

  @Test
  void twoProcessesFetchingAllWithItemsSlowerThanTheLeaseComputeEachIdentOnce() throws Exception {
    int n = 1000;
    Path home = dir.resolve("home");
    Path record = dir.resolve("computed.txt");
    String count = Integer.toString(n);
    long computed = 0;
    try (ChildJvm a =
            ChildJvm.start(
                CrashChild.class, "slow-bulk-race", home.toString(), record.toString(), count);
        ChildJvm b =
            ChildJvm.start(
                CrashChild.class, "slow-bulk-race", home.toString(), record.toString(), count)) {
      assertThat(a.waitFor(Duration.ofSeconds(120))).isZero();
      assertThat(b.waitFor(Duration.ofSeconds(120))).isZero();
      for (ChildJvm c : List.of(a, b)) {
        String last =
            c.lines().stream().filter(l -> l.startsWith("FINISHED")).findFirst().orElseThrow();
        computed += Long.parseLong(last.substring("FINISHED ".length()));
      }
    }
    Map<String, Integer> runs = new HashMap<>();
    Files.readAllLines(record).forEach(l -> runs.merge(l, 1, Integer::sum));
    assertThat(runs).hasSize(n);
    assertThat(runs.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
        .as("computed more than once")
        .isEmpty();
    assertThat(computed).as("what the two fetchAll results say they computed").isEqualTo(n);
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.stats("slow").count(Status.COMPLETED)).isEqualTo(n);
      assertThat(cairn.stats("slow").count(Status.RUNNING)).isZero();
    }
    HomeInvariants.assertHealthy(home);
  }
}
