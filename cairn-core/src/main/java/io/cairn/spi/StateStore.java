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
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once. A store that is
 *       shared between processes (SQLite file, PostgreSQL) keeps this contract across them.
 *   <li><b>Atomic batches.</b> {@link #apply} applies its changes in order in one transaction: all
 *       or none are durable, and no other writer's change interleaves. For each change the store
 *       reads the current record (seeing earlier changes of the same batch), asks the change to
 *       decide, refuses a decided move that {@link Status#canMoveTo} forbids, and writes the
 *       result. When {@code apply} returns, its writes are durable to the degree the store
 *       documents.
 *   <li><b>Counts are maintained, not scanned.</b> {@link #stats} costs O(number of statuses)
 *       whatever the number of resources.
 *   <li><b>Listings are paged by cursor</b> in insertion order of the resources, using an index.
 *   <li><b>Durable maps</b> live beside the resources: insertion-ordered entries of JSON text per
 *       map name. {@link #applyMap} and {@link #writeMap} are atomic like {@link #apply}; a put of
 *       an existing key keeps its position; a removed and re-added key goes to the end; the size of
 *       a map is maintained, not counted.
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
  default Page<String> keys(String collection, Status status, String cursor, int limit) {
    return keys(collection, java.util.EnumSet.of(status), cursor, limit);
  }

  /**
   * Keys of one collection whose status is any of {@code statuses}, in insertion order (one merged
   * listing, each page costing O(limit) whatever the collection's size).
   */
  Page<String> keys(String collection, java.util.Set<Status> statuses, String cursor, int limit);

  /**
   * Moves every resource of a collection in status {@code from} to status {@code to} (for example
   * ERROR to QUEUED to make failures retryable), keeping counts right.
   *
   * @return how many moved
   * @throws IllegalArgumentException if the move is not allowed by {@link Status#canMoveTo}
   */
  long moveAll(String collection, Status from, Status to, long now);

  // ---------------------------------------------------------------- durable maps

  /** Applies read-modify-write changes to map entries in one transaction, in order. */
  List<MapResult> applyMap(List<? extends MapChange> changes);

  /** Applies blind puts and removals to one map in one transaction, in order. */
  void writeMap(String map, List<MapWrite> writes);

  /** The value of one entry as JSON text. */
  Optional<String> mapGet(String map, String key);

  /** The values of many entries of one map; absent keys are missing from the result. */
  Map<String, String> mapGetAll(String map, Collection<String> keys);

  /** Entries of a map in insertion order, paged by cursor. */
  Page<MapEntry> mapEntries(String map, String cursor, int limit);

  /** The number of entries of a map (maintained: O(1)). */
  long mapSize(String map);

  /** Removes every entry of a map; returns how many there were. */
  long mapClear(String map);

  /** Names of all maps that have or had entries, sorted. */
  List<String> maps();

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
