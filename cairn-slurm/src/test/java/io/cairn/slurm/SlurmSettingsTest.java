package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.slurm.internal.SlurmExecutorProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline file's slurm settings are checked, each mistake named in one line. */
class SlurmSettingsTest {
  private final SlurmExecutorProvider provider = new SlurmExecutorProvider();

  @Test
  void anUnknownSettingNamesTheAllowedOnes() {
    assertThatThrownBy(() -> provider.open(Map.of("queue", "short"), Path.of(".")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown slurm executor setting 'queue'; allowed: partition, time_limit, cpus,"
                + " memory_mb, capacity, batch_window_ms, spool");
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
}
