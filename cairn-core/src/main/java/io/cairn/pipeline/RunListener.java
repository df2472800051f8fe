package io.cairn.pipeline;

import java.util.List;

/** Told of a run's progress, one call at a time (from the run's scheduling thread). */
@FunctionalInterface
public interface RunListener {
  void onProgress(List<TaskProgress> tasks);

  /**
   * A line worth showing a person about the run as a whole, such as "16 jobs held by runner
   * host:1234, waiting". Ignored unless overridden.
   */
  default void onNote(String line) {}

  static RunListener none() {
    return t -> {};
  }
}
