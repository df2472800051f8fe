package io.cairn.slurm.internal;

import io.cairn.slurm.SlurmExecutor;
import io.cairn.spi.ExecutorProvider;
import io.cairn.spi.ResourceExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: slurm} in a pipeline file's {@code executors:} section: optionally {@code
 * partition}, {@code time_limit} (minutes), {@code cpus}, {@code memory_mb}, {@code capacity},
 * {@code batch_window_ms} and {@code spool} (relative to the file's directory).
 */
public final class SlurmExecutorProvider implements ExecutorProvider {
  private static final Set<String> KNOWN =
      Set.of(
          "partition", "time_limit", "cpus", "memory_mb", "capacity", "batch_window_ms", "spool");

  @Override
  public String type() {
    return "slurm";
  }

  @Override
  public ResourceExecutor open(Map<String, Object> settings, Path baseDir) {
    for (String k : settings.keySet()) {
      if (!KNOWN.contains(k)) {
        throw new IllegalArgumentException(
            "unknown slurm executor setting '"
                + k
                + "'; allowed: partition, time_limit, cpus, memory_mb, capacity, batch_window_ms,"
                + " spool");
      }
    }
    SlurmExecutor.Builder b = SlurmExecutor.builder();
    if (settings.containsKey("partition")) {
      b.partition(String.valueOf(settings.get("partition")).strip());
    }
    if (settings.containsKey("time_limit")) {
      b.timeLimit(Duration.ofMinutes(number(settings, "time_limit")));
    }
    if (settings.containsKey("cpus")) {
      b.cpus((int) number(settings, "cpus"));
    }
    if (settings.containsKey("memory_mb")) {
      b.memoryMb(number(settings, "memory_mb"));
    }
    if (settings.containsKey("capacity")) {
      b.capacity((int) number(settings, "capacity"));
    }
    if (settings.containsKey("batch_window_ms")) {
      b.batchWindow(Duration.ofMillis(number(settings, "batch_window_ms")));
    }
    if (settings.get("spool") instanceof String s && !s.isBlank()) {
      b.spool(baseDir.resolve(s).normalize());
    }
    return b.build();
  }

  private static long number(Map<String, Object> settings, String key) {
    Object v = settings.get(key);
    try {
      return Long.parseLong(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "slurm executor setting '" + key + "' must be a whole number, got '" + v + "'");
    }
  }
}
