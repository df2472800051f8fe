package io.cairn.durable;

/**
 * The keys {@link ProgressTracker#tryKeys()} hands out: iterate it once (for-each), close it when
 * leaving early. Not thread-safe: one loop per instance (several loops may run at once).
 */
public interface TryKeys extends Iterable<String>, AutoCloseable {
  /** Gives back keys claimed but not handed out and ends the current try; idempotent. */
  @Override
  void close();
}
