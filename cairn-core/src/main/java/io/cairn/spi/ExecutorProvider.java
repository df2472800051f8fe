package io.cairn.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * Makes {@link ResourceExecutor}s of one type from settings, so a pipeline file can declare them
 * ({@code executors: {cluster: {type: ssh, hosts: [...]}}}) without cairn-core depending on the
 * module that implements them. Providers are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.cairn.spi.ExecutorProvider}).
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface ExecutorProvider {

  /** The {@code type:} this provider makes, lower-case, such as {@code "ssh"}. */
  String type();

  /**
   * Makes an executor. It should not connect anywhere yet: a pipeline file is also loaded just to
   * show its status.
   *
   * @param settings the declaration's fields other than {@code type}: each a {@code String} or a
   *     {@code List<String>}
   * @param baseDir what relative paths in the settings resolve against (the file's directory)
   * @throws IllegalArgumentException naming the bad or missing setting and how to fix it, never
   *     showing a secret
   */
  ResourceExecutor open(Map<String, Object> settings, Path baseDir);

  /**
   * Makes an executor that may refer to another one declared in the same file (a Slurm executor
   * naming its SSH login node); by default {@link #open(Map, Path)}.
   *
   * @param declared every declaration of the file by name: its fields, {@code type} included
   */
  default ResourceExecutor open(
      Map<String, Object> settings, Path baseDir, Map<String, Map<String, Object>> declared) {
    return open(settings, baseDir);
  }
}
