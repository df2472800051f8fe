package io.cairn.spi;

import io.cairn.Status;

/**
 * What a {@link StateChange} decided, and after the store applied it, what is stored.
 *
 * @param outcome how the change ended
 * @param record the record after the change ({@code null} when there is none, e.g. after a delete
 *     or a refused change on an absent resource)
 * @param message why a change was refused, or {@code null}
 */
public record ChangeResult(Outcome outcome, StoredResource record, String message) {

  /** How a change ended. */
  public enum Outcome {
    /** The change was written; {@link #record()} is the new record (or null if deleted). */
    APPLIED,
    /** Nothing needed writing: the current record already is what the change asks for. */
    UNCHANGED,
    /** Someone else holds a live lease; {@link #record()} is the current record. */
    BUSY,
    /** The change does not apply to the current record; see {@link #message()}. */
    REFUSED
  }

  /** The change writes {@code next}; {@code null} deletes the record. */
  public static ChangeResult write(StoredResource next) {
    return new ChangeResult(Outcome.APPLIED, next, null);
  }

  public static ChangeResult unchanged(StoredResource current) {
    return new ChangeResult(Outcome.UNCHANGED, current, null);
  }

  public static ChangeResult busy(StoredResource current) {
    return new ChangeResult(Outcome.BUSY, current, null);
  }

  public static ChangeResult refused(StoredResource current, String message) {
    return new ChangeResult(Outcome.REFUSED, current, message);
  }

  public boolean applied() {
    return outcome == Outcome.APPLIED;
  }

  /** The status after the change: UNAVAILABLE when there is no record. */
  public Status status() {
    return record == null ? Status.UNAVAILABLE : record.status();
  }
}
