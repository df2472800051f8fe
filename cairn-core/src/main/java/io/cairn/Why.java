package io.cairn;

/**
 * Why the next fetch of a resource would, or would not, run its compute function.
 *
 * @param reason the reason, for programs
 * @param message the reason, for people (one line)
 */
public record Why(Reason reason, String message) {
  /** Whether the next fetch (without {@code recompute}) would run the compute function. */
  public boolean wouldCompute() {
    return reason.wouldCompute;
  }

  /** The reasons a fetch does or does not compute. */
  public enum Reason {
    /** No record: the resource was never asked for. */
    NEVER_COMPUTED(true),
    /** Queued by someone, not computed yet. */
    QUEUED(true),
    /** The last attempt failed; the next fetch retries it. */
    ERROR(true),
    /** The resource was given up; a fetch returns it as is until it is reset or recomputed. */
    ABORTED(false),
    /** Someone holds a live lease on it; a fetch waits for that computation. */
    RUNNING(false),
    /** Its computation stopped without finishing (the holder's lease expired). */
    INTERRUPTED(true),
    /** Completed, but with other arguments than the ones asked for. */
    ARGS_CHANGED(true),
    /** Completed, but under another version of the collection. */
    VERSION_CHANGED(true),
    /** Completed with the same arguments and version: a fetch returns the stored result. */
    UP_TO_DATE(false);

    private final boolean wouldCompute;

    Reason(boolean wouldCompute) {
      this.wouldCompute = wouldCompute;
    }
  }
}
