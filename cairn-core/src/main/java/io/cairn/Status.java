package io.cairn;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The status of a resource, and the one table of moves between statuses that every store and the
 * engine consult.
 *
 * <p>A resource without a stored record is {@link #UNAVAILABLE}; moving any resource to UNAVAILABLE
 * forgets it (its record is deleted).
 */
public enum Status {
  /** Never asked for (no record). */
  UNAVAILABLE,
  /** Asked for, waiting for its dependencies or for a worker. */
  QUEUED,
  /** Being computed under a live lease. */
  RUNNING,
  /** Done; the result is stored. */
  COMPLETED,
  /** The last attempt threw; retryable. */
  ERROR,
  /** Given up (max tries reached, or cancelled); a reset makes it retryable. */
  ABORTED;

  // A status "moving" to itself is an update that keeps the status (new data, new tries, a
  // renewed lease); RUNNING -> RUNNING is also a reclaim after the lease expired.
  private static final Map<Status, Set<Status>> ALLOWED =
      Map.of(
          UNAVAILABLE, EnumSet.of(QUEUED, RUNNING),
          QUEUED, EnumSet.of(QUEUED, RUNNING, COMPLETED, ABORTED, UNAVAILABLE),
          RUNNING, EnumSet.of(RUNNING, QUEUED, COMPLETED, ERROR, ABORTED, UNAVAILABLE),
          COMPLETED, EnumSet.of(COMPLETED, QUEUED, RUNNING, UNAVAILABLE),
          ERROR, EnumSet.of(ERROR, QUEUED, RUNNING, COMPLETED, ABORTED, UNAVAILABLE),
          // A tracker's user may mark an aborted key done by hand.
          ABORTED, EnumSet.of(ABORTED, QUEUED, COMPLETED, UNAVAILABLE));

  /** Whether a resource in this status may move to {@code next}. */
  public boolean canMoveTo(Status next) {
    return ALLOWED.get(this).contains(next);
  }

  /** The statuses this one may move to. */
  public Set<Status> allowedNext() {
    return EnumSet.copyOf(ALLOWED.get(this));
  }

  /** Whether a resource in this status holds a stored record. */
  public boolean isStored() {
    return this != UNAVAILABLE;
  }

  /** Lower-case name, as the CLI and JSON show it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a status name, case-insensitively ("error", "ERROR"); hadrosaur's "pending" is accepted
   * for {@link #RUNNING}.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed ones
   */
  public static Status parse(String name) {
    if (name != null) {
      String upper = name.trim().toUpperCase(Locale.ROOT);
      if (upper.equals("PENDING")) {
        return RUNNING;
      }
      for (Status s : values()) {
        if (s.name().equals(upper)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown status '"
            + name
            + "'; expected one of unavailable, queued, running, completed,"
            + " error, aborted");
  }
}
