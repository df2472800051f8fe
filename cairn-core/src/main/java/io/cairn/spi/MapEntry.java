package io.cairn.spi;

import java.util.Objects;

/**
 * A durable-map entry as a store keeps it.
 *
 * @param key the key
 * @param json the value as JSON text
 */
public record MapEntry(String key, String json) {
  public MapEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(json, "json");
  }
}
