package io.cairn.collection;

import java.time.Duration;
import java.util.List;

/**
 * What a {@code fetchAll} did.
 *
 * @param requested idents asked for
 * @param computed resources whose function ran and completed
 * @param cached resources that were already completed and up to date
 * @param failed resources whose function threw (now ERROR; see {@code cairn.error})
 * @param skipped aborted resources and invalid idents, not computed
 * @param invalid messages for the first invalid idents (at most 20)
 * @param elapsed wall time
 */
public record FetchAllResult(
    long requested,
    long computed,
    long cached,
    long failed,
    long skipped,
    List<String> invalid,
    Duration elapsed) {
  public FetchAllResult {
    invalid = List.copyOf(invalid);
  }

  /** Resources finished per second. */
  public double perSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : requested / s;
  }
}
