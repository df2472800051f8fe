package io.cairn.slurm.internal;

import io.cairn.slurm.SlurmExecutor;
import io.cairn.spi.ExecutorProvider;
import io.cairn.spi.ResourceExecutor;
import io.cairn.ssh.SshHost;
import io.cairn.ssh.internal.SshExecutorProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: slurm} in a pipeline file's {@code executors:} section: optionally {@code
 * partition}, {@code time_limit} (minutes), {@code cpus}, {@code memory_mb}, {@code capacity},
 * {@code batch_window_ms} and {@code spool} (relative to the file's directory); or {@code login}
 * naming a {@code type: ssh} executor of the same file with one host (its host, key and known-hosts
 * file reach the login node) and optionally {@code remote_dir} there.
 */
public final class SlurmExecutorProvider implements ExecutorProvider {
  private static final Set<String> KNOWN =
      Set.of(
          "partition",
          "time_limit",
          "cpus",
          "memory_mb",
          "capacity",
          "batch_window_ms",
          "spool",
          "login",
          "remote_dir");

  @Override
  public String type() {
    return "slurm";
  }

  @Override
  public ResourceExecutor open(Map<String, Object> settings, Path baseDir) {
    return open(settings, baseDir, Map.of());
  }

  @Override
  public ResourceExecutor open(
      Map<String, Object> settings, Path baseDir, Map<String, Map<String, Object>> declared) {
    for (String k : settings.keySet()) {
      if (!KNOWN.contains(k)) {
        throw new IllegalArgumentException(
            "unknown slurm executor setting '"
                + k
                + "'; allowed: partition, time_limit, cpus, memory_mb, capacity, batch_window_ms,"
                + " spool, login, remote_dir");
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
    if (settings.containsKey("login")) {
      login(b, String.valueOf(settings.get("login")).strip(), baseDir, declared);
    }
    if (settings.containsKey("remote_dir")) {
      b.remoteDir(String.valueOf(settings.get("remote_dir")).strip());
    }
    return b.build();
  }

  /** The login node from the ssh declaration the {@code login} setting names. */
  private static void login(
      SlurmExecutor.Builder b,
      String name,
      Path baseDir,
      Map<String, Map<String, Object>> declared) {
    Map<String, Object> ssh = declared.get(name);
    if (ssh == null) {
      throw new IllegalArgumentException(
          "slurm login '"
              + name
              + "' is not declared under executors: declare it with type: ssh and one host");
    }
    Object type = ssh.get("type");
    if (!"ssh".equals(type == null ? null : String.valueOf(type).strip())) {
      throw new IllegalArgumentException(
          "slurm login '"
              + name
              + "' is of type '"
              + type
              + "', not ssh: name a type: ssh executor");
    }
    Object hosts = ssh.get("hosts");
    List<String> list =
        hosts instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : hosts == null ? List.of() : List.of(String.valueOf(hosts));
    if (list.size() != 1) {
      throw new IllegalArgumentException(
          "slurm login '"
              + name
              + "' must have exactly one host (the login node), it has "
              + list.size()
              + ": declare an ssh executor with hosts: user@login-node");
    }
    try {
      b.login(
          SshHost.parse(list.get(0)),
          SshExecutorProvider.path(ssh, "key", baseDir),
          SshExecutorProvider.path(ssh, "known_hosts", baseDir));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("slurm login '" + name + "': " + e.getMessage(), e);
    }
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
