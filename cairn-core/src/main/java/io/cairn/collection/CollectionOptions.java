package io.cairn.collection;

import java.util.Optional;

/**
 * How a collection is registered: its version, and the executor its compute function runs on.
 *
 * @param version changing it makes the collection's completed resources stale ("" for none)
 * @param executor the executor's name ({@code in-process}, or one registered with {@code
 *     Cairn.builder().executor(name, executor)}), or {@code null} for the default
 */
public record CollectionOptions(String version, String executor) {
  public CollectionOptions {
    if (version == null) {
      throw new IllegalArgumentException("version must not be null; use \"\" for none");
    }
  }

  /** No version, the default executor. */
  public static CollectionOptions defaults() {
    return new CollectionOptions("", null);
  }

  public CollectionOptions version(String v) {
    return new CollectionOptions(v, executor);
  }

  /**
   * Runs the collection's compute function on the named executor; an unknown name is refused when
   * the collection is registered, with the known names.
   */
  public CollectionOptions executor(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "executor name must not be empty: name 'in-process' or a registered executor");
    }
    return new CollectionOptions(version, name);
  }

  /** The executor named, if any. */
  public Optional<String> executorName() {
    return Optional.ofNullable(executor);
  }
}
