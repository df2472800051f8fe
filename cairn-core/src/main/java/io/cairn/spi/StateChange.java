package io.cairn.spi;

/**
 * One change to one resource, decided from its current record.
 *
 * <p>The engine builds changes (claim, complete, fail, renew, reset, ...); a store only reads the
 * current record, asks the change to {@link #decide} and writes what it returns. So the rules live
 * in one place, and every store applies them the same way. {@code decide} is a pure function of its
 * argument: a store may call it once per application and must not call it outside the transaction
 * that writes its result.
 */
public interface StateChange {
  /** The collection of the resource this change is about. */
  String collection();

  /** The key of the resource this change is about. */
  String key();

  /**
   * Decides the change.
   *
   * @param current the stored record, or {@code null} when there is none (UNAVAILABLE)
   * @return the decision: whether to write, and what
   */
  ChangeResult decide(StoredResource current);
}
