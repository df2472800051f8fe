package io.cairn.spi;

import java.util.Objects;

/**
 * A blind write to a durable map (no read of the current value): a put, or a removal when {@code
 * json} is {@code null}. What write-behind flushes.
 *
 * @param key the key
 * @param json the new value as JSON text, or {@code null} to remove the entry
 */
public record MapWrite(String key, String json) {
  public MapWrite {
    Objects.requireNonNull(key, "key");
  }

  public static MapWrite put(String key, String json) {
    return new MapWrite(key, Objects.requireNonNull(json, "json"));
  }

  public static MapWrite remove(String key) {
    return new MapWrite(key, null);
  }

  public boolean isRemove() {
    return json == null;
  }
}
