package io.cairn.spi;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where resources, their statuses, their per-status counts, the durable work queue and the change
 * cursor are kept.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once. A store that is
 *       shared between processes (SQLite file, PostgreSQL) keeps this contract across them.
 *   <li><b>Atomic batches.</b> {@link #apply} applies its changes in order in one transaction: all
 *       or none are durable, and no other writer's change interleaves. For each change the store
 *       reads the current record (seeing earlier changes of the same batch), and has {@link
 *       StateChanges#decide} decide and check it against {@link Status#canMoveTo}; it writes the
 *       results. When {@code apply} returns, its writes are durable to the degree the store
 *       documents.
 *   <li><b>Counts are maintained, not scanned.</b> {@link #stats} costs O(number of statuses)
 *       whatever the number of resources.
 *   <li><b>Listings are paged by cursor</b> in insertion order of the resources, using an index.
 *   <li><b>Every write of a resource is numbered</b> ({@link StoredResource#changeSeq()}, from one
 *       sequence per store, larger for later commits), so {@link #changesSince} follows changes in
 *       commit order without scanning.
 *   <li><b>Time is the store's.</b> Lease expiry in {@link #claimNext} is judged by {@link #now},
 *       the same clock for every process sharing the store, never the caller's.
 * </ul>
 */
public interface ResourceStore extends AutoCloseable {

  /**
   * Applies changes in one transaction, in order.
   *
   * @return one result per change, in the same order
   */
  List<ChangeResult> apply(List<? extends StateChange> changes);

  /** The record of one resource. */
  Optional<StoredResource> get(String collection, String key);

  /** The records of many resources of one collection; absent ones are missing from the map. */
  default Map<String, StoredResource> getAll(String collection, Collection<String> keys) {
    Map<String, StoredResource> found = new java.util.HashMap<>();
    for (String key : keys) {
      get(collection, key).ifPresent(r -> found.put(key, r));
    }
    return found;
  }

  /**
   * Registers a collection (idempotent) and records its current version, so that clients that do
   * not run its function (CLI, server) can list it and explain staleness.
   */
  void registerCollection(String collection, String version);

  /** The registered version of a collection, empty if it is not registered. */
  Optional<String> collectionVersion(String collection);

  /** All collections that are registered or hold resources, sorted by name. */
  List<String> collections();

  /** Counts per status of one collection (all zero for an unknown one). */
  Stats stats(String collection);

  /** Counts per status of every collection. */
  default Map<String, Stats> stats() {
    Map<String, Stats> all = new java.util.LinkedHashMap<>();
    for (String c : collections()) {
      all.put(c, stats(c));
    }
    return all;
  }

  /**
   * Keys of one collection with one status, in insertion order.
   *
   * @param cursor {@code null} for the first page, else the {@link Page#nextCursor()} of the
   *     previous page
   * @param limit page size, 1 to 100,000
   */
  default Page<String> keys(String collection, Status status, String cursor, int limit) {
    return keys(collection, java.util.EnumSet.of(status), cursor, limit);
  }

  /**
   * Keys of one collection whose status is any of {@code statuses}, in insertion order (one merged
   * listing, each page costing O(limit) whatever the collection's size).
   */
  Page<String> keys(String collection, Set<Status> statuses, String cursor, int limit);

  /**
   * Keys of one collection that start with {@code prefix} and whose status is any of {@code
   * statuses}, in the keys' UTF-8 byte order: a keyset range ({@code key >= prefix AND key <
   * next(prefix)}) on an index, never OFFSET. Exact and O(limit) per page when {@code statuses} is
   * every stored status or only ERROR; otherwise a page examines at most {@code limit} + {@value
   * #PREFIX_SCAN} keys of the range and may come back short (even empty) with a cursor to go on, so
   * a rare status under a common prefix never scans the whole collection in one call.
   *
   * @param prefix the ident prefix, empty for every key
   * @param cursor {@code null} for the first page, else the {@link Page#nextCursor()} of the
   *     previous page of the same query
   * @param limit page size, 1 to 100,000
   * @throws IllegalArgumentException if the cursor is not one this listing gave out
   */
  default Page<String> keysByPrefix(
      String collection, Set<Status> statuses, String prefix, String cursor, int limit) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot list keys by prefix");
  }

  /** How many keys past the limit one {@link #keysByPrefix} page examines at most. */
  int PREFIX_SCAN = 20_000;

  /**
   * Moves every resource of a collection in status {@code from} to status {@code to} (for example
   * ERROR to QUEUED to make failures retryable), keeping counts right.
   *
   * @return how many moved
   * @throws IllegalArgumentException if the move is not allowed by {@link Status#canMoveTo}
   */
  long moveAll(String collection, Status from, Status to, long now);

  /**
   * Claims the next resources of the durable queue for {@code owner}: up to {@code n} resources of
   * {@code collections} that carry a work spec ({@link StoredResource#workJson()} not null), first
   * the QUEUED ones in queue order (insertion order), then RUNNING ones whose lease has expired by
   * {@linkplain #now the store's clock}, oldest first. Each moves to RUNNING with {@code owner},
   * {@code leaseUntil}, attempts + 1 and {@code startedAt} = the store's now, keeping its work;
   * counts are maintained. All in one transaction, decided by {@link StateChanges.ClaimNext} like
   * any change. Two claimants never get the same resource in the same attempt, in this process or
   * another.
   *
   * @param collections the collections to claim from, at least one
   * @param owner the lease holder to write
   * @param n at most this many, 1 to 10,000
   * @param leaseUntil the lease's expiry, in the store's clock (ms since the epoch)
   * @return the claimed records as written, in claim order; empty when nothing is claimable
   * @throws IllegalArgumentException if an argument is out of range, saying which
   */
  List<StoredResource> claimNext(Set<String> collections, String owner, int n, long leaseUntil);

  /**
   * The resources changed after {@code cursor}, each once as it is now, ascending by {@link
   * StoredResource#changeSeq()}, at most {@code limit}. A resource changed twice since the cursor
   * appears once, at its latest change; deleted resources do not appear (the counts in {@link
   * #stats} say they left).
   *
   * <p>Commit order: a resource written by a later commit has a larger number. That holds as is for
   * stores whose writers serialize (SQLite, in memory). A server database's dialect must keep a
   * change that commits late with an earlier number from being skipped by a reader whose cursor
   * already passed it (for example by numbering under a lock held to commit, or by holding back the
   * cursor below the oldest number of a transaction still in progress).
   *
   * @param cursor 0 for everything, else the {@link ChangePage#cursor()} of the previous page or
   *     {@link #changeCursor()}
   * @param limit page size, 1 to 100,000
   */
  ChangePage changesSince(long cursor, int limit);

  /**
   * The highest change number committed so far (0 when nothing was written): a watcher that starts
   * "from now" passes it to {@link #changesSince}.
   */
  long changeCursor();

  /**
   * The store's clock in ms since the epoch: what lease expiry is judged by, the same for every
   * process sharing the store (a server database's own clock; the host's for a SQLite file; an
   * in-memory store's injected clock).
   */
  long now();

  /** Closes connections; idempotent. */
  @Override
  void close();
}
