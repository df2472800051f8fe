package io.cairn.pipeline;

import java.util.List;

/** Told of a run's progress, one call at a time (from the run's scheduling thread). */
@FunctionalInterface
public interface RunListener {
  void onProgress(List<TaskProgress> tasks);

  static RunListener none() {
    return t -> {};
  }
}
