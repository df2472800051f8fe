package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.collection.ResourceCollection;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn status --watch} in a real child process, not on a terminal: it follows a writer in
 * another process through the change cursor and prints a plain line per tick in which something
 * finished, with counts and rates; bad combinations are refused in one line.
 */
class StatusWatchTest {
  @TempDir Path dir;

  @Test
  void followsAnotherProcesssWritesThroughTheChangeCursor() throws Exception {
    Path home = dir.resolve("home");
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection("pages", (k, a, c) -> k.length()).fetch("first");
    }
    try (ChildJvm watch =
            ChildJvm.start(
                Main.class, "--home", home.toString(), "status", "--watch", "--interval", "100");
        Cairn cairn = Cairn.open(home)) {
      watch.awaitLine("watching " + home.toAbsolutePath().normalize(), Duration.ofSeconds(30));
      ResourceCollection pages = cairn.collection("pages", (k, a, c) -> k.length());
      for (int i = 0; i < 20; i++) {
        pages.fetch("p" + i);
      }
      Await.until(
          "the watcher to show the 20 new pages",
          Duration.ofSeconds(30),
          () -> watch.lines().stream().anyMatch(l -> l.contains("pages 21/21 done")));
      List<String> ticks = watch.lines().stream().filter(l -> l.startsWith("watch ")).toList();
      assertThat(ticks).isNotEmpty();
      assertThat(ticks.get(ticks.size() - 1)).matches("watch \\d+ s: pages 21/21 done .*changes");
    }
  }

  @Test
  void watchRefusesWhatItCannotShow() {
    Path home = dir.resolve("home");
    CliRun json = CliRun.cairn(home, "status", "--watch", "--json");
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.err()).contains("--watch shows the whole home: no COLLECTION, -f or --json");
    CliRun fast = CliRun.cairn(home, "status", "--watch", "--interval", "1");
    assertThat(fast.code()).isEqualTo(2);
    assertThat(fast.err()).contains("--interval must be 50 to 3600000 ms, got 1");
  }
}
