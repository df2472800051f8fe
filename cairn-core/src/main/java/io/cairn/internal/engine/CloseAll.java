package io.cairn.internal.engine;

import io.cairn.CairnException;

/**
 * Closes several things so that one failing never leaks the others: every step runs, whatever the
 * earlier ones threw; then the first failure is thrown with the later ones suppressed in it.
 */
public final class CloseAll {
  private CloseAll() {}

  /**
   * Runs {@code steps} in order, each even if an earlier one failed.
   *
   * @throws RuntimeException or Error: the first step's failure, the others suppressed in it (a
   *     checked exception is wrapped in a {@link CairnException})
   */
  public static void run(AutoCloseable... steps) {
    Throwable first = null;
    for (AutoCloseable step : steps) {
      try {
        step.close();
      } catch (Throwable t) { // an Error too: the remaining steps must still run
        if (first == null) {
          first = t;
        } else if (first != t) {
          first.addSuppressed(t);
        }
      }
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new CairnException("close failed: " + first, first);
    }
  }
}
