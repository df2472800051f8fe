package io.cairn.internal.store;

import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;

/** The checks every store makes on a change's decision before writing it. */
final class Decisions {
  private Decisions() {}

  /** A decision checked against the transition table and the change's own identity. */
  static ChangeResult checked(StateChange change, StoredResource cur, ChangeResult decided) {
    if (!decided.applied()) {
      return decided;
    }
    StoredResource next = decided.record();
    if (next != null
        && (!next.collection().equals(change.collection()) || !next.key().equals(change.key()))) {
      throw new IllegalStateException("a change may only write its own resource: " + change);
    }
    Status from = cur == null ? Status.UNAVAILABLE : cur.status();
    Status to = next == null ? Status.UNAVAILABLE : next.status();
    if (from == Status.UNAVAILABLE && to == Status.UNAVAILABLE) {
      return ChangeResult.unchanged(null);
    }
    if (!from.canMoveTo(to)) {
      return ChangeResult.refused(cur, "illegal move " + from.label() + " -> " + to.label());
    }
    return decided;
  }

  /** Refuses a bulk move that leases or the transition table forbid. */
  static void checkMoveAll(Status from, Status to) {
    if (from == Status.UNAVAILABLE || from == Status.RUNNING || !from.canMoveTo(to)) {
      throw new IllegalArgumentException(
          "cannot move all " + from.label() + " resources to " + to.label());
    }
  }
}
