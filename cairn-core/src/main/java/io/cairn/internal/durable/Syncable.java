package io.cairn.internal.durable;

/** Something with write-behind state that {@link DurableSyncer} flushes. */
interface Syncable {
  /**
   * Flushes if a flush is due at {@code nowNanos}.
   *
   * @return when the next flush becomes due ({@link System#nanoTime()} scale), or {@link
   *     Long#MAX_VALUE} when nothing is pending
   */
  long syncIfDue(long nowNanos);

  /** Flushes everything pending now. */
  void sync();
}
