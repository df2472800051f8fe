package io.cairn;

import io.cairn.pipeline.Pipeline;
import java.util.List;

/**
 * What a project defines, found by {@link java.util.ServiceLoader} so that {@code cairn worker
 * --classpath app.jar} and {@code cairn run --classpath app.jar} can run its Java code: list the
 * implementing class in {@code META-INF/services/io.cairn.CairnDefinitions} of the jar.
 *
 * <p>An implementation needs a public no-argument constructor. {@link #define} is called once per
 * opened {@link Cairn}; it registers the project's collections on it and returns the project's
 * pipelines (with their Java task functions), built the same way on every machine: workers find a
 * queued job's code by its pipeline's and task's names.
 */
public interface CairnDefinitions {
  /**
   * Registers collections on {@code cairn} (if any) and returns the pipelines.
   *
   * @return the pipelines, none with the same name
   */
  List<Pipeline> define(Cairn cairn);
}
