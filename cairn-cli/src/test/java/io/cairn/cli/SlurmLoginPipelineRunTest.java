package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testkit.SlurmCluster;
import io.cairn.testkit.SshTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn run} of a pipeline file whose script task runs on Slurm through an SSH login node (a
 * real SSH server of this machine in front of the real single-node Slurm): inputs staged over SFTP,
 * outputs published from the cluster, a failing job stored as such, and nothing left on the login
 * node.
 */
class SlurmLoginPipelineRunTest {
  @TempDir Path dir;

  @BeforeAll
  static void cluster() {
    SlurmCluster.ensureRunning();
  }

  @Test
  void aScriptTaskRunsOnSlurmThroughTheLoginNodeEndToEnd() throws Exception {
    try (SshTestServer server = SshTestServer.start(dir.resolve("client"))) {
      Path remote = dir.resolve("login-home");
      Files.createDirectories(dir.resolve("in"));
      for (String k : new String[] {"a", "b", "c", "bad"}) {
        Files.writeString(dir.resolve("in").resolve(k + ".txt"), "data of " + k + "\n");
      }
      Path file = dir.resolve("cairn.yaml");
      Files.writeString(
          file,
          String.join(
              "\n",
              "pipeline: hpc",
              "executors:",
              "  head:",
              "    type: ssh",
              "    hosts: [" + server.address() + "]",
              "    key: client/id_ecdsa",
              "    known_hosts: client/known_hosts",
              "  cluster:",
              "    type: slurm",
              "    login: head",
              "    remote_dir: " + remote,
              "    batch_window_ms: 200",
              "repositories:",
              "  input: {type: files, dir: in, ext: .txt}",
              "  upper: {type: files, dir: out, ext: .txt}",
              "tasks:",
              "  shout:",
              // The job named bad fails on the cluster, after writing part of its output.
              "    script: \"tr a-z A-Z; if [ {{job}} = bad ]; then echo broken >&2; exit 3; fi\"",
              "    inputs: {src: input}",
              "    outputs: {dst: upper}",
              "    stdin: src",
              "    stdout: dst",
              "    executor: cluster",
              "    max_tries: 1",
              ""));
      Path home = dir.resolve("home");

      CliRun r = cairn(home, "run", "-f", file.toString());

      assertThat(r.code()).as(r.out() + r.err()).isNotZero(); // one job failed
      for (String k : new String[] {"a", "b", "c"}) {
        assertThat(Files.readString(dir.resolve("out").resolve(k + ".txt")))
            .isEqualTo("DATA OF " + k.toUpperCase() + "\n");
      }
      assertThat(dir.resolve("out").resolve("bad.txt"))
          .as("a failed job publishes no output")
          .doesNotExist();
      CliRun error = cairn(home, "error", "hpc.shout", "bad");
      assertThat(error.out() + error.err()).contains("3").contains("broken");
      CliRun status = cairn(home, "status", "-f", file.toString(), "--json");
      assertThat(status.code()).as(status.err()).isZero();
      var task =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(status.out())
              .get("tasks")
              .get(0);
      assertThat(task.get("completed").asInt()).isEqualTo(3);
      assertThat(task.get("aborted").asInt()).as("max_tries 1: the failure is final").isEqualTo(1);
      assertThat(task.get("running").asInt()).isZero();

      // The jobs went through the login node's spool; what the attempts placed there is gone.
      assertThat(remote.resolve("spool")).isDirectory();
      try (var left = Files.list(remote)) {
        assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("spool")))
            .isEmpty();
      }
    }
  }
}
