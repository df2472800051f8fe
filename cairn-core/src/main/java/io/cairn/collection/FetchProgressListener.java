package io.cairn.collection;

/**
 * Told about the progress of a {@code fetchAll}. Calls come from the fetching threads, one at a
 * time (never concurrently), after each batch of resources and once at the end.
 */
@FunctionalInterface
public interface FetchProgressListener {
  void onProgress(FetchProgress progress);

  /** A listener that ignores progress. */
  static FetchProgressListener none() {
    return p -> {};
  }
}
