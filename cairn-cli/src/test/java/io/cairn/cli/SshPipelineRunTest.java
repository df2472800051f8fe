package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testkit.SshTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline file that declares an SSH executor and runs a script task on it, end to end through
 * {@code cairn run}, against a real SSH server of this machine.
 */
class SshPipelineRunTest {
  @TempDir Path dir;

  @Test
  void aScriptTaskRunsOnTheDeclaredSshHostAndItsOutputsArePublished() throws Exception {
    try (SshTestServer server = SshTestServer.start(dir.resolve("client"))) {
      Path remote = dir.resolve("remote-jobs");
      Path pwds = dir.resolve("pwds");
      Files.createDirectories(pwds);
      Files.createDirectories(dir.resolve("in"));
      for (String k : new String[] {"a", "b", "c"}) {
        Files.writeString(dir.resolve("in").resolve(k + ".txt"), "data of " + k + "\n");
      }
      Path file = dir.resolve("cairn.yaml");
      Files.writeString(
          file,
          "pipeline: remote\n"
              + "executors:\n"
              + "  box:\n"
              + "    type: ssh\n"
              + "    hosts: ["
              + server.address()
              + "]\n"
              + "    key: client/id_ecdsa\n"
              + "    known_hosts: client/known_hosts\n"
              + "    max_per_host: 2\n"
              + "    remote_dir: "
              + remote
              + "\n"
              + "repositories:\n"
              + "  input: {type: files, dir: in, ext: .txt}\n"
              + "  upper: {type: files, dir: out, ext: .txt}\n"
              + "tasks:\n"
              + "  shout:\n"
              + "    script: \"pwd > "
              + pwds
              + "/{{job}}; tr a-z A-Z\"\n"
              + "    inputs: {src: input}\n"
              + "    outputs: {dst: upper}\n"
              + "    stdin: src\n"
              + "    stdout: dst\n"
              + "    executor: box\n"
              + "    max_tries: 1\n");
      Path home = dir.resolve("home");

      CliRun r = cairn(home, "run", "-f", file.toString());

      assertThat(r.code()).as(r.out() + r.err()).isZero();
      for (String k : new String[] {"a", "b", "c"}) {
        assertThat(Files.readString(dir.resolve("out").resolve(k + ".txt")))
            .isEqualTo("DATA OF " + k.toUpperCase() + "\n");
        assertThat(Files.readString(pwds.resolve(k)).strip())
            .as("ran in a working directory of its own on the host")
            .startsWith(remote.toString() + "/");
      }
      try (Stream<Path> left = Files.list(remote)) {
        assertThat(left).as("working directories removed").isEmpty();
      }

      CliRun status = cairn(home, "status", "-f", file.toString());
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.out()).contains("shout");

      CliRun again = cairn(home, "run", "-f", file.toString(), "--json");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).doesNotContain("\"failed\":1");
    }
  }

  @Test
  void anUnknownExecutorTypeIsOneLineNamingTheKnownTypes() throws Exception {
    Path file = dir.resolve("cairn.yaml");
    Files.writeString(
        file,
        "pipeline: p\n"
            + "executors:\n"
            + "  k8s: {type: kubernetes}\n"
            + "tasks:\n"
            + "  t: {script: 'true', executor: k8s}\n");

    CliRun r = cairn(dir.resolve("home"), "run", "-f", file.toString());

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("no executor type 'kubernetes'").contains("ssh");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }
}
