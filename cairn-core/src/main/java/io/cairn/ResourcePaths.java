package io.cairn;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a resource's files live. Nothing here is created until it is used: {@link #log()} on the
 * first log line, {@link #storage()} on the first call to {@code ComputeContext.storage()}.
 *
 * @param base the resource's own directory
 * @param log the per-resource log file
 * @param storage the directory for the compute function's own files
 */
public record ResourcePaths(Path base, Path log, Path storage) {
  /** The paths by name ("base", "log", "storage"), as hadrosaur's {@code resource.paths}. */
  public Map<String, Path> asMap() {
    return Map.of("base", base, "log", log, "storage", storage);
  }
}
