package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.testkit.Await;
import io.cairn.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM of a real `cairn run`: the conventional exit status, and nothing left running. */
class RunSignalTest {
  @TempDir Path dir;

  @Test
  void sigtermStopsARunWithExitStatus143AndPutsItsJobBack() throws Exception {
    Path home = dir.resolve("home");
    Path started = dir.resolve("started");
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.txt"), "a\n");
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        """
        pipeline: slow
        repositories:
          in:  {type: files, dir: in, ext: .txt}
          out: {type: files, dir: out, ext: .txt}
        tasks:
          wait:
            script: "touch %s && sleep 60 && cp {{links.in}} {{links.out}}"
            inputs: {in: in}
            outputs: {out: out}
        """
            .formatted(started));
    try (ChildJvm child =
        ChildJvm.start(Main.class, "--home", home.toString(), "run", "-f", file.toString())) {
      Await.until("the job to start", Duration.ofSeconds(60), () -> Files.exists(started));
      child.terminate();
      assertThat(child.waitFor(Duration.ofSeconds(30))).isEqualTo(143);
    }
    try (Cairn cairn = Cairn.open(home)) {
      assertThat(cairn.status("slow.wait", "a")).isEqualTo(Status.QUEUED);
    }
    assertThat(dir.resolve("out/a.txt")).doesNotExist();
    assertThat(dir.resolve("out/.staging/slow/wait/a")).doesNotExist();
  }
}
