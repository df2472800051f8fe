package io.cairn.cli;

import io.cairn.pipeline.PipelineYaml;
import io.cairn.spi.ResourceExecutor;
import java.util.Map;

/**
 * The executors a pipeline file declares under {@code executors:}, for a command that opens its
 * Cairn with them and closes them after it (declare this resource before the Cairn).
 */
final class DeclaredExecutors implements AutoCloseable {
  private final Map<String, ResourceExecutor> executors;

  private DeclaredExecutors(Map<String, ResourceExecutor> executors) {
    this.executors = executors;
  }

  /** Those of the file given, or none when no file is. */
  static DeclaredExecutors of(PipelineFileOption file) {
    return new DeclaredExecutors(
        file.present() ? PipelineYaml.executors(file.require()) : Map.of());
  }

  Map<String, ResourceExecutor> map() {
    return executors;
  }

  @Override
  public void close() {
    executors.values().forEach(ResourceExecutor::close);
  }
}
