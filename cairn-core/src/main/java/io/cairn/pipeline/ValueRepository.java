package io.cairn.pipeline;

import java.util.Optional;

/** A repository of JSON values per key: metadata files, in-memory maps. */
public interface ValueRepository extends Repository {
  /** A key's value (JSON values: maps, lists, strings, numbers, booleans). */
  Optional<Object> get(String key);

  /**
   * Stores a key's value atomically.
   *
   * @throws IllegalArgumentException if the key breaks the rule or the value is not JSON
   */
  void put(String key, Object value);

  @Override
  default Optional<Object> info(String key) {
    return get(key);
  }
}
