package io.cairn.collection;

import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import java.util.Map;

/**
 * A handle on a registered collection: the {@code Cairn} methods with the collection name filled
 * in. Thread-safe; valid while its Cairn is open.
 */
public interface ResourceCollection {
  /** The collection name. */
  String name();

  /** The version given at registration ("" for none). */
  String version();

  Resource fetch(String ident);

  Resource fetch(String ident, Map<String, ?> args);

  Resource fetch(String ident, Map<String, ?> args, boolean recompute);

  FetchAllResult fetchAll(
      Iterable<String> idents,
      Map<String, ?> args,
      int parallelism,
      FetchProgressListener listener);

  /**
   * Queues resources for workers instead of computing them here (see {@code Cairn.submit}).
   *
   * @return how many this call queued
   */
  long submit(Iterable<String> idents, Map<String, ?> args);

  Status status(String ident);

  Stats stats();
}
