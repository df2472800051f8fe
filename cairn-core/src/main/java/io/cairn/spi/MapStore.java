package io.cairn.spi;

import io.cairn.Page;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where durable maps are kept: insertion-ordered entries of JSON text per map name.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once, and a store
 *       shared between processes keeps this contract across them.
 *   <li><b>Atomic batches.</b> {@link #applyMap} and {@link #writeMap} apply their changes in order
 *       in one transaction: all or none are durable, and no other writer's change interleaves.
 *   <li><b>Order.</b> A put of an existing key keeps its position; a removed and re-added key goes
 *       to the end; entries are paged by cursor in that order, through an index.
 *   <li><b>Sizes are maintained</b>, not counted.
 * </ul>
 */
public interface MapStore extends AutoCloseable {

  /** Applies read-modify-write changes to map entries in one transaction, in order. */
  List<MapResult> applyMap(List<? extends MapChange> changes);

  /** Applies blind puts and removals to one map in one transaction, in order. */
  void writeMap(String map, List<MapWrite> writes);

  /** The value of one entry as JSON text. */
  Optional<String> mapGet(String map, String key);

  /** The values of many entries of one map; absent keys are missing from the result. */
  Map<String, String> mapGetAll(String map, Collection<String> keys);

  /**
   * Entries of a map in insertion order, paged by cursor.
   *
   * @param limit page size, 1 to 100,000
   */
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
}
