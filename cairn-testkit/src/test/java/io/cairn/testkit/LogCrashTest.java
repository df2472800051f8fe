package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.Why;
import io.cairn.internal.engine.LogLocations;
import io.cairn.internal.engine.LogReader;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed attempt's log stays local, and the next attempt's publish keeps it before its own. */
class LogCrashTest {
  @TempDir Path dir;

  @Test
  void killMidAttemptLeavesTheLocalLogAndTheNextAttemptPublishesBothInOrder() throws Exception {
    Path home = dir.resolve("home");
    try (ChildJvm child =
        ChildJvm.start(CrashChild.class, "compute-then-hang", home.toString(), "0")) {
      child.awaitLine("COMPUTING hang", Duration.ofSeconds(60));
      child.kill();
    }
    BlobKey key = LogLocations.ofResource("work", "hang");
    try (Cairn cairn = Cairn.open(home)) {
      Path local = cairn.resource("work", "hang").paths().log();
      assertThat(Files.readString(local)).contains("started, about to hang");
      assertThat(cairn.blobs().exists(key)).isFalse();
      // Here the local file is read; elsewhere there is nothing yet (a short attempt, no chunk).
      assertThat(cairn.log("work", "hang")).contains("started, about to hang");
      assertThat(LogReader.read(cairn.blobs(), key, null)).isEmpty();

      Await.until(
          "the dead child's lease to expire",
          Duration.ofSeconds(30),
          () -> cairn.why("work", "hang").reason() == Why.Reason.INTERRUPTED);
      cairn.collection(
          "work",
          (ident, args, ctx) -> {
            ctx.log().info("second attempt of {}", ident);
            return "recomputed";
          });
      Resource again = cairn.fetch("work", "hang");
      assertThat(again.status()).isEqualTo(Status.COMPLETED);
      assertThat(again.attempts()).isEqualTo(2);

      String log = LogReader.read(cairn.blobs(), key, null); // as any machine reads it
      assertThat(log).isEqualTo(cairn.log("work", "hang"));
      int first = log.indexOf("--- attempt 1 by ");
      int crashed = log.indexOf("started, about to hang");
      int second = log.indexOf("--- attempt 2 by ");
      int recomputed = log.indexOf("second attempt of hang");
      assertThat(first).isZero();
      assertThat(crashed).isGreaterThan(first);
      assertThat(second).isGreaterThan(crashed);
      assertThat(recomputed).isGreaterThan(second);
      assertThat(log.split("started, about to hang", -1)).hasSize(2);
      assertThat(local).doesNotExist();
      assertThat(cairn.blobs().listAll("resources/").map(BlobInfo::key)).containsExactly(key);
    }
    HomeInvariants.assertHealthy(home);
  }
}
