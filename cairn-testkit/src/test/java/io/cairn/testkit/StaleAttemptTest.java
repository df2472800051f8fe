package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.pipeline.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a runner mid-job leaves its attempt's directories; the next run removes them. */
class StaleAttemptTest {
  @TempDir Path dir;

  @Test
  void theNextRunRemovesTheWorkDirectoryAndStagedFilesOfAKilledAttempt() throws Exception {
    Path home = dir.resolve("home");
    Path data = dir.resolve("data");
    StaleAttemptChild.seed(data);
    Path work = home.resolve("work/stale/copy/a");
    Path out = data.resolve("out");
    try (ChildJvm child =
        ChildJvm.start(StaleAttemptChild.class, home.toString(), data.toString())) {
      child.awaitLine("WROTE a", Duration.ofSeconds(60));
      child.kill();
    }
    assertThat(files(work)).as("the killed attempt's scratch file").hasSize(1);
    assertThat(staged(out)).as("the killed attempt's staged output, beside its key").hasSize(1);
    assertThat(data.resolve("out/a.txt")).as("nothing published").doesNotExist();

    try (Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(1)).open()) {
      // The dead runner's lease runs out within a second; a run then takes the job over.
      Await.until(
          "the job done by a later run",
          Duration.ofSeconds(60),
          () -> {
            cairn
                .pipeline(StaleAttemptChild.pipeline(data, false))
                .run(RunOptions.defaults().withWorkers(1).withPoll(Duration.ofMillis(20)));
            return cairn.status("stale.copy", "a") == Status.COMPLETED;
          });
      assertThat(cairn.resource("stale.copy", "a").attempts()).isEqualTo(2);
    }
    assertThat(Files.readString(data.resolve("out/a.txt"))).isEqualTo("data of a");
    assertThat(work).doesNotExist();
    assertThat(staged(out)).isEmpty();
    assertThat(Files.list(out).map(p -> p.getFileName().toString()).toList())
        .containsExactly("a.txt");
    HomeInvariants.assertHealthy(home);
  }

  private static List<Path> files(Path root) throws Exception {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  /** Files staged beside their keys (hidden, never listed as keys). */
  private static List<Path> staged(Path repoDir) throws java.io.IOException {
    try (Stream<Path> all = Files.list(repoDir)) {
      return all.filter(p -> p.getFileName().toString().startsWith(".tmp-staged#stale#copy#a#"))
          .toList();
    }
  }
}
