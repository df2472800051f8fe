package io.cairn.pipeline;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A keyed store of job data that tasks read and write: its keys are job keys ({@link JobKeys}). A
 * task's inputs say which jobs exist and are ready; its outputs are where it writes.
 *
 * <p>Implementations: {@link Repositories#files}, {@link Repositories#directories}, {@link
 * Repositories#blobs}, {@link Repositories#metadata}, {@link Repositories#inMemory}, {@link
 * Repositories#collection}, and the combinators {@link Repositories#allOf}, {@link
 * Repositories#anyOf}, {@link Repositories#blockedBy}, {@link Repositories#filtered}, {@link
 * Repositories#mapped} and {@link Repositories#related}. Thread-safe.
 */
public interface Repository {
  /** A short description for graphs and messages, e.g. {@code files(data/raw, *.txt)}. */
  String describe();

  /** The keys present, each once, lazily (a repository may hold millions). */
  Stream<String> keys();

  /** Whether the key is present. */
  boolean contains(String key);

  /**
   * What the repository knows of a key, as JSON values: a file's path, a metadata value, a
   * collection's result. Empty when the key is absent. Script tasks render it into commands.
   */
  Optional<Object> info(String key);

  /**
   * Deletes a key's data.
   *
   * @return whether it was present
   * @throws UnsupportedOperationException for read-only repositories (combinators, collections)
   */
  default boolean delete(String key) {
    throw new UnsupportedOperationException(describe() + " is read-only");
  }

  /** Names met while listing that break the job-key rule (each reported once), at most 100. */
  default List<String> invalidKeys() {
    return List.of();
  }

  /** The repositories this one is made of (combinators); empty for a plain one. */
  default List<Repository> parts() {
    return List.of();
  }
}
