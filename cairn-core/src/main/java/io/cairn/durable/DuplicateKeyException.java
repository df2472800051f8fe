package io.cairn.durable;

import io.cairn.CairnException;

/** {@code add} of a key a tracker already has. */
public final class DuplicateKeyException extends CairnException {
  private final String tracker;
  private final String key;

  public DuplicateKeyException(String tracker, String key) {
    super("tracker '" + tracker + "' already has key '" + key + "'; use addIfAbsent to skip it");
    this.tracker = tracker;
    this.key = key;
  }

  public String tracker() {
    return tracker;
  }

  public String key() {
    return key;
  }
}
