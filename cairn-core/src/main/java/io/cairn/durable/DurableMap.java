package io.cairn.durable;

import java.util.Map;
import java.util.Set;

/**
 * A map of JSON values kept in the project's state store: insertion-ordered, surviving crashes,
 * shared by every thread and process on the home.
 *
 * <h2>Writes</h2>
 *
 * <p>By default writes are <b>write-behind</b>: {@link #put}, {@link #set} and {@link #remove}
 * change this process's view at once and are written to the store in batches, when {@code syncAt}
 * of them are pending (default 1,000), after a time bound (default 1 s), on {@link #sync()}, on
 * {@link #close()}, on the owning Cairn's close, on normal JVM exit and on SIGTERM/SIGINT. A
 * SIGKILL (or power loss) loses at most the writes not in the store yet, and those are bounded: a
 * write-behind write of a key that has no unflushed write blocks while {@code max(65,536, 4 ×
 * syncAt)} keys have one (backpressure), so a crash loses the latest writes of at most that many
 * keys (65,536 on the defaults), however fast the writer. While the store keeps up with the writer,
 * far fewer are unflushed: about {@code syncAt}, none older than {@code syncEvery} plus one flush.
 * {@link #hold()} lifts the bound until {@link #unhold()}. With {@link MapOptions#durable(boolean)}
 * every write is durable when it returns (writes of many threads share one commit).
 *
 * <h2>Atomic read-modify-write</h2>
 *
 * <p>{@link #compute}, {@link #computeIfAbsent}, {@link #computeIfPresent}, {@link #merge}, {@link
 * #putIfAbsent}, {@link #replace} and {@link #remove(Object, Object)} are atomic across threads
 * <b>and processes</b>, and durable when they return. They are how values are mutated: a value
 * returned by {@link #get} is a copy, and changing it changes nothing stored (the Java form of
 * tastypy's {@code SharedPOD.set}). They are optimistic: the key's pending write is synced, the
 * function runs on the stored value with no lock and no transaction held, and its result is written
 * in one short transaction only if the entry still holds the value the function saw; if another
 * thread or process changed it meanwhile, the function is called again on the new value. So a slow
 * function delays only its own call, never other writers; and under contention a function may be
 * called more than once (as {@code ConcurrentMap}'s defaults), so keep it free of side effects.
 *
 * <h2>Reads</h2>
 *
 * <p>Reads see this process's pending writes and, for everything else, what is stored, so they see
 * other processes' writes once those are synced. {@link #size()} and iteration (in insertion order;
 * an updated key keeps its place, a removed and re-added one goes to the end) read the store page
 * by page and need no sync. Handles obtained from one Cairn for one name share their pending
 * writes, so they see each other's writes at once.
 *
 * <p>Keys are non-empty strings without NUL (at most 64 KiB); values are JSON values: maps, lists,
 * strings, numbers, booleans, null, or records (converted with Jackson). A value that cannot be
 * stored is refused at the call with {@link IllegalArgumentException}, and nothing already stored
 * is affected. Thread-safe.
 *
 * @param <V> the value type
 */
public interface DurableMap<V> extends Map<String, V>, AutoCloseable {
  /** The map's name. */
  String name();

  /**
   * Like {@link #put} without reading the previous value: the fast write-behind path (a put must
   * read the store to return the previous value).
   */
  void set(String key, V value);

  /** Writes every pending write of this map to the store now; returns once they are durable. */
  void sync();

  /** Writes one key's pending write now. */
  void syncKey(String key);

  /** Marks a key dirty, so that its current value is written again at the next sync. */
  void markDirty(String key);

  /** The keys with writes not yet in the store. */
  Set<String> dirty();

  /**
   * Suspends automatic syncing (explicit {@link #sync()} still writes) and the backpressure bound:
   * while held, pending writes grow without limit. Calls nest.
   */
  void hold();

  /** Resumes automatic syncing after {@link #hold()}. */
  void unhold();

  /** Drops every pending write; reads then see what is stored. */
  void revert();

  /** Syncs; the handle stays usable (the map lives as long as its Cairn). */
  @Override
  void close();
}
