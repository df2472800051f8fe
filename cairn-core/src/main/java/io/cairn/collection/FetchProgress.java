package io.cairn.collection;

/**
 * Progress of a {@code fetchAll}, as reported to a {@link FetchProgressListener}.
 *
 * @param done resources finished (computed, taken from the store, failed or skipped)
 * @param total resources asked for, or -1 when the idents were not a sized collection
 * @param computed resources whose function ran and completed
 * @param cached resources already completed and up to date
 * @param failed resources whose function threw (now ERROR)
 * @param skipped resources not computed: aborted ones, or invalid idents
 * @param elapsedNanos time since the fetch started
 */
public record FetchProgress(
    long done,
    long total,
    long computed,
    long cached,
    long failed,
    long skipped,
    long elapsedNanos) {

  /** Resources finished per second so far. */
  public double perSecond() {
    return elapsedNanos <= 0 ? 0 : done * 1e9 / elapsedNanos;
  }
}
