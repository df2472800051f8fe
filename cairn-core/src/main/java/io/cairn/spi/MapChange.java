package io.cairn.spi;

import java.util.Optional;

/**
 * One read-modify-write of one durable-map entry, decided from its current value; the map
 * counterpart of {@link StateChange}. A store reads the current value, asks {@link #decide} inside
 * its write transaction, and writes the answer, so the change is atomic across threads and
 * processes sharing the store.
 */
public interface MapChange {
  /** The map's name. */
  String map();

  /** The entry's key. */
  String key();

  /**
   * Decides the entry's new value.
   *
   * @param current the current value as JSON text, empty when the key is absent
   * @return the new value as JSON text, or empty to remove the entry; returning {@code current}
   *     leaves it as it is
   */
  Optional<String> decide(Optional<String> current);
}
