package io.cairn.spi;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where resources, their statuses and their per-status counts are kept.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once. A store that
 *       is shared between processes (SQLite file, PostgreSQL) keeps this contract across them.
 *   <li><b>Atomic batches.</b> {@link #apply} applies its changes in order in one transaction: all
 *       or none are durable, and no other writer's change interleaves. For each change the store
 *       reads the current record (seeing earlier changes of the same batch), asks the change to
 *       decide, refuses a decided move that {@link Status#canMoveTo} forbids, and writes the
 *       result. When {@code apply} returns, its writes are durable to the degree the store
 *       documents.
 *   <li><b>Counts are maintained, not scanned.</b> {@link #stats} costs O(number of statuses)
 *       whatever the number of resources.
 *   <li><b>Listings are paged by cursor</b> in insertion order of the resources, using an index.
 * </ul>
 */
public interface StateStore extends AutoCloseable {

  /**
   * Applies changes in one transaction, in order.
   *
   * @return one result per change, in the same order
   */
  List<ChangeResult> apply(List<? extends StateChange> changes);

  /** The record of one resource. */
  Optional<StoredResource> get(String collection, String key);

  /** The records of many resources of one collection; absent ones are missing from the map. */
  default Map<String, StoredResource> getAll(String collection, Collection<String> keys) {
    Map<String, StoredResource> found = new java.util.HashMap<>();
    for (String key : keys) {
      get(collection, key).ifPresent(r -> found.put(key, r));
    }
    return found;
  }

  /**
   * Registers a collection (idempotent) and records its current version, so that clients that do
   * not run its function (CLI, server) can list it and explain staleness.
   */
  void registerCollection(String collection, String version);

  /** The registered version of a collection, empty if it is not registered. */
  Optional<String> collectionVersion(String collection);

  /** All collections that are registered or hold resources, sorted by name. */
  List<String> collections();

  /** Counts per status of one collection (all zero for an unknown one). */
  Stats stats(String collection);

  /** Counts per status of every collection. */
  default Map<String, Stats> stats() {
    Map<String, Stats> all = new java.util.LinkedHashMap<>();
    for (String c : collections()) {
      all.put(c, stats(c));
    }
    return all;
  }

  /**
   * Keys of one collection with one status, in insertion order.
   *
   * @param cursor {@code null} for the first page, else the {@link Page#nextCursor()} of the
   *     previous page
   * @param limit page size, 1 to 100,000
   */
  Page<String> keys(String collection, Status status, String cursor, int limit);

  /**
   * Moves every resource of a collection in status {@code from} to status {@code to} (for
   * example ERROR to QUEUED to make failures retryable), keeping counts right.
   *
   * @return how many moved
   * @throws IllegalArgumentException if the move is not allowed by {@link Status#canMoveTo}
   */
  long moveAll(String collection, Status from, Status to, long now);

  /** Closes connections; idempotent. */
  @Override
  void close();

  /** Validates a page size. */
  static int checkLimit(int limit) {
    if (limit < 1 || limit > 100_000) {
      throw new IllegalArgumentException("page size must be 1 to 100000, got " + limit);
    }
    return limit;
  }
}
