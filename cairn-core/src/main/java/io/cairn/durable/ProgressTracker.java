package io.cairn.durable;

import io.cairn.Status;
import java.util.List;
import java.util.Map;

/**
 * Keys to work through, each done or not, tried some number of times, or aborted; so a long loop
 * picks up where it left off after a crash, from one process or several.
 *
 * <pre>{@code
 * ProgressTracker urls = cairn.tracker("urls", 3);          // at most 3 tries per key
 * urls.addIfAbsent(seedUrl);
 * try (TryKeys keys = urls.tryKeys()) {
 *   for (String url : keys) {                               // each try recorded before it starts
 *     Crawl c = crawl(url);
 *     if (!c.ok()) continue;                                // not done: tried again next time
 *     urls.addAllIfAbsent(c.links());
 *     urls.markDone(url);
 *   }
 * }
 * }</pre>
 *
 * <p>A tracker is a collection whose resources the user drives: its entries have the engine's
 * statuses (done = COMPLETED, aborted = ABORTED, a try in progress = RUNNING, a try that ended
 * without being marked done = ERROR, never tried = QUEUED), attempts (= tries), timings and an
 * optional data map, and show up in {@code cairn status} like any collection. Counts ({@link
 * #numDone()} etc.) are the store's maintained counts: O(1) at any size.
 *
 * <p>Durability: adds ({@code add}, {@code addIfAbsent}, {@code addAll}, {@code addAllIfAbsent})
 * are write-behind: answered from this tracker's set of known keys and stored within 1 s (sooner
 * when many are pending), on {@link #sync()}, on close, at normal exit and on SIGTERM/SIGINT, and
 * always before {@link #tryKeys()} lists keys, so a key is never handed out before it is stored. A
 * SIGKILL can lose the latest adds (at most 65,536 one-key adds, plus the keys of a larger {@code
 * addAll} in flight), in order: what is stored is a prefix of what was added. Inside the loop,
 * {@code markDone} and {@code update} of the key just handed out are written with the next batch of
 * tries, in order with the adds made before them, so a SIGKILL that loses a done mark also loses
 * the adds made after it and the key is tried again. Aborts, resets and the other calls are durable
 * when they return. {@link TrackerOptions#durable(boolean)} makes adds and done marks durable
 * before they return.
 *
 * <p>Across processes, {@code addIfAbsent} answers from this process's view: the keys stored when
 * the tracker first needed them, the keys added through it since, and the keys other processes
 * stored, read again at most 1 s later or after {@link #sync()}. Two processes adding the same new
 * key before either sees the other's may both get {@code true}; the store keeps one entry (with the
 * data of the first flush), never two. Thread-safe; a missing key makes mutators other than {@link
 * #update} (which adds it) throw {@link java.util.NoSuchElementException}.
 */
public interface ProgressTracker extends AutoCloseable {
  /** The tracker's name (its collection's name). */
  String name();

  /**
   * Tries after which a key is no longer to do ({@link #shouldDo}, {@link #todoKeys()}, {@link
   * #tryKeys()} skip it); 0 = unlimited.
   */
  int maxTries();

  /** Adds a key, not done, with no tries. @throws DuplicateKeyException if present */
  void add(String key);

  /** Adds a key with data. @throws DuplicateKeyException if present */
  void add(String key, Map<String, ?> data);

  /** Adds a key unless present; returns whether it was added. */
  boolean addIfAbsent(String key);

  /** Adds a key with data unless present; returns whether it was added. */
  boolean addIfAbsent(String key, Map<String, ?> data);

  /** Adds keys, all or none. @throws DuplicateKeyException naming the first present one */
  void addAll(Iterable<String> keys);

  /** Adds the keys not present yet; returns how many were added. */
  long addAllIfAbsent(Iterable<String> keys);

  /**
   * Merges entries into a key's data map ({@code Map.putAll} on the stored map). A missing key is
   * added first (not done, no tries), as tastypy's {@code update} does. Durable when it returns,
   * except for the key just handed out by a {@link #tryKeys()} loop (written with the next batch of
   * tries).
   *
   * @throws IllegalArgumentException if the key is not valid or a value cannot be stored as JSON
   */
  void update(String key, Map<String, ?> data);

  /** A key's data map (empty when it has none). */
  Map<String, Object> data(String key);

  /** Whether the tracker has the key. */
  boolean contains(String key);

  /** The key's status (UNAVAILABLE when absent). */
  Status status(String key);

  void markDone(String key);

  void markNotDone(String key);

  /** Gives up a key: {@link #tryKeys()} skips it. Refused for a done key. */
  void abort(String key);

  void unabort(String key);

  /** Adds one try; returns the new count. */
  int incrementTries(String key);

  /** Removes one try (never below 0); returns the new count. */
  int decrementTries(String key);

  void resetTries(String key);

  int tries(String key);

  /** Whether the key is done; false for a missing key. */
  boolean isDone(String key);

  boolean isAborted(String key);

  /**
   * Whether the key is still to do, as tastypy's {@code should_do}: present, not done, not aborted,
   * and (with a {@link #maxTries()}) tried fewer than {@code maxTries} times. A key tried twice
   * with {@code maxTries} 2 is no longer to do, even while its second try runs.
   */
  boolean shouldDo(String key);

  /**
   * The same as {@link #shouldDo}; records no try (tastypy's {@code should_try} also increments the
   * tries: here use {@link #tryKeys()}, or {@link #incrementTries}).
   */
  boolean shouldTry(String key);

  /**
   * Hands out the keys to try, in insertion order, recording each try durably before handing the
   * key out. Several threads or processes iterating one tracker never get the same key at once, and
   * a key whose worker died becomes available again when its lease expires. Keys added while
   * iterating are reached. A key handed out and not marked done (or aborted) by the time the next
   * one is asked for counts as a failed try (ERROR, or ABORTED at maxTries). Close the iterator
   * (try-with-resources) if you leave the loop early: keys claimed ahead are given back.
   */
  TryKeys tryKeys();

  /**
   * The keys {@link #shouldDo} says are to do — not done, not aborted, tried fewer than {@link
   * #maxTries()} times — in insertion order. {@link #tryKeys()} hands out exactly these (less the
   * ones another worker is trying).
   */
  List<String> todoKeys();

  /** Aborted keys, in insertion order. */
  List<String> abortedKeys();

  long numDone();

  /** Keys tried at least once. */
  long numTried();

  long numAborted();

  /** Number of keys. */
  long size();

  /** Done keys over all keys; 0 for an empty tracker. */
  double fractionDone();

  /** {@link #fractionDone()} as a percentage with {@code decimals} decimals, e.g. "66.67 %". */
  String percentDone(int decimals);

  /** Writes pending done marks now. */
  void sync();

  /** Closes open iterators (giving back unstarted keys) and syncs. */
  @Override
  void close();
}
