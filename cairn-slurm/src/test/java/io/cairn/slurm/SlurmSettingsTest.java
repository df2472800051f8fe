package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.pipeline.PipelineYaml;
import io.cairn.pipeline.PipelineYamlException;
import io.cairn.slurm.internal.SlurmExecutorProvider;
import io.cairn.ssh.SshHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline file's slurm settings are checked, each mistake named in one line. */
class SlurmSettingsTest {
  private final SlurmExecutorProvider provider = new SlurmExecutorProvider();

  @Test
  void anUnknownSettingNamesTheAllowedOnes() {
    assertThatThrownBy(() -> provider.open(Map.of("queue", "short"), Path.of(".")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown slurm executor setting 'queue'; allowed: partition, time_limit, cpus,"
                + " memory_mb, capacity, batch_window_ms, spool, login, remote_dir");
  }

  @Test
  void aBadNumberOrPartitionSaysWhatWasGiven() {
    assertThatThrownBy(() -> provider.open(Map.of("time_limit", "1h"), Path.of(".")))
        .hasMessage("slurm executor setting 'time_limit' must be a whole number, got '1h'");
    assertThatThrownBy(() -> provider.open(Map.of("cpus", "0"), Path.of(".")))
        .hasMessage("slurm cpus must be 1-10000, got 0");
    assertThatThrownBy(() -> provider.open(Map.of("partition", "a b"), Path.of(".")))
        .hasMessageContaining("slurm partition must be a name");
  }

  @Test
  void aLoginMustNameOneSshHostDeclaredInTheSameFile() throws Exception {
    Map<String, Map<String, Object>> declared =
        Map.of(
            "local", Map.of("type", "local"),
            "pool", Map.of("type", "ssh", "hosts", List.of("a@n1", "a@n2"), "key", "k"));
    assertThatThrownBy(() -> provider.open(Map.of("login", "head"), Path.of("."), declared))
        .hasMessage(
            "slurm login 'head' is not declared under executors: declare it with type: ssh and"
                + " one host");
    assertThatThrownBy(() -> provider.open(Map.of("login", "local"), Path.of("."), declared))
        .hasMessage("slurm login 'local' is of type 'local', not ssh: name a type: ssh executor");
    assertThatThrownBy(() -> provider.open(Map.of("login", "pool"), Path.of("."), declared))
        .hasMessage(
            "slurm login 'pool' must have exactly one host (the login node), it has 2: declare an"
                + " ssh executor with hosts: user@login-node");
  }

  @Test
  void aPipelineFileNamingAnUndeclaredLoginIsRefusedAtItsLine(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("cairn.yaml");
    Files.writeString(file, "pipeline: p\nexecutors:\n  hpc:\n    type: slurm\n    login: head\n");
    assertThatThrownBy(() -> PipelineYaml.executors(file))
        .isInstanceOf(PipelineYamlException.class)
        .hasMessageContaining(
            "slurm login 'head' is not declared under executors: declare it with type: ssh and"
                + " one host");
  }

  @Test
  void aRemoteDirNeedsALoginAndASpoolConflictsWithOne(@TempDir Path tmp) throws Exception {
    assertThatThrownBy(() -> provider.open(Map.of("remote_dir", "/scratch/x"), tmp))
        .hasMessage(
            "slurm remote dir only applies with login(): set login(...) or drop remoteDir()");
    Path key = Files.writeString(tmp.resolve("key"), "not read before the check");
    assertThatThrownBy(
            () ->
                SlurmExecutor.builder()
                    .login(SshHost.parse("alice@login1"), key, key)
                    .spool(tmp)
                    .build())
        .hasMessage(
            "slurm spool is a local dir; with login() the spool is under remoteDir on the"
                + " cluster: drop spool()");
    assertThatThrownBy(
            () ->
                SlurmExecutor.builder()
                    .login(SshHost.parse("alice@login1"), tmp.resolve("missing"), key))
        .hasMessageStartingWith("ssh key file " + tmp.resolve("missing") + " is not a readable");
  }
}
