package io.cairn.spi;

import io.cairn.Page;
import io.cairn.catalog.CatalogObject;
import io.cairn.catalog.Dataset;
import io.cairn.catalog.ObjectFilter;
import io.cairn.catalog.Placement;
import java.util.List;
import java.util.Optional;

/**
 * Where the catalog's records live: objects, their parents, datasets, partitions, jobs, placements,
 * and the ids of puts and garbage collections in flight.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once, and a store
 *       shared between processes (one database) keeps this contract across them.
 *   <li><b>Atomic, durable writes.</b> Each write method is one transaction; when it returns, its
 *       change is durable.
 *   <li><b>Jobs</b> of a dataset are numbered 0, 1, 2, ... by {@link #newJob}, without gaps or
 *       duplicates across concurrent callers.
 *   <li><b>Partitions</b> keep the order they were first added in.
 *   <li><b>Put versus gc.</b> {@link #announcePut} and {@link #doom} serialize: once an announce
 *       returned true, no doom of that id succeeds until {@link #register} or {@link #endPut}
 *       removes the announcement (or it ages out); an announce while a doom stands returns false.
 *   <li><b>Listings</b> are paged by keyset cursor (the last id), never by offset.
 * </ul>
 *
 * <p>Unknown names passed to writes throw {@link io.cairn.catalog.CatalogException} naming what is
 * missing; nothing is written then.
 */
public interface CatalogStore {

  /** The largest page {@link #objects} and {@link #datasets} return. */
  int MAX_PAGE_SIZE = 10_000;

  /**
   * A gc's mark older than this (ms) is of a gc that died between marking and unmarking; {@link
   * #announcePut} drops it.
   */
  long STALE_DOOM_MS = 5 * 60_000L;

  /**
   * Records that a put of {@code id} is under way (under {@code token}, unique per put), unless a
   * gc doomed the id and has not finished deleting it: then nothing is recorded and the caller
   * retries later.
   *
   * @return whether the put may go on
   */
  boolean announcePut(String id, String token, long now);

  /** Removes a put's announcement (the put failed or gave up). */
  void endPut(String id, String token);

  /**
   * Registers {@code object} if its id is new (else keeps the stored metadata), adds its parents
   * and the placement, if any, and removes the put's announcement ({@code token}, may be null), in
   * one transaction.
   *
   * @return the object as stored
   * @throws io.cairn.catalog.CatalogException naming a parent, dataset, job or partition that does
   *     not exist
   */
  CatalogObject register(CatalogObject object, Placement placement, String token);

  /**
   * Adds a placement to an existing object.
   *
   * @return whether it was new
   * @throws io.cairn.catalog.CatalogException naming the missing object, dataset, job or partition
   */
  boolean place(String id, Placement placement);

  /** The object, or empty. */
  Optional<CatalogObject> object(String id);

  /** Which of {@code ids} are registered objects. */
  List<String> existing(List<String> ids);

  /** The ids of the objects made from {@code id}. */
  List<String> children(String id);

  /** The object's placements, ordered by dataset, job, partition. */
  List<Placement> placements(String id);

  /** One page of the objects matching {@code filter}, ordered by id, after {@code cursor}. */
  Page<CatalogObject> objects(ObjectFilter filter, String cursor, int limit);

  /**
   * Creates a dataset.
   *
   * @throws io.cairn.catalog.CatalogException naming a menu or configuration that is not an object
   */
  Dataset createDataset(String id, String menuId, String configId, long now);

  /**
   * Adds a dataset as an import does: nothing if an equal one exists.
   *
   * @return whether it was new
   * @throws io.cairn.catalog.CatalogException if one of that id has another menu or configuration
   */
  boolean importDataset(Dataset dataset);

  /** The dataset, or empty. */
  Optional<Dataset> dataset(String id);

  /** One page of the datasets by id. */
  Page<Dataset> datasets(String cursor, int limit);

  /**
   * Adds a partition at the end of the dataset's order unless it exists.
   *
   * @return whether it was new
   */
  boolean addPartition(String dataset, String key);

  /** The dataset's partitions in the order they were added. */
  List<String> partitions(String dataset);

  /** The next job number of the dataset. */
  long newJob(String dataset, long now);

  /**
   * Adds job {@code job} to the dataset if absent, as an import does; later {@link #newJob}s number
   * after it.
   */
  void importJob(String dataset, long job, long now);

  /** The dataset's jobs, ascending. */
  List<Long> jobs(String dataset);

  /**
   * Marks an unreferenced id for deletion by a gc: only if no object has that id and no put
   * announced it after {@code announcedAfter} (older announcements are of crashed puts and are
   * dropped here).
   *
   * @return whether the gc may delete the blob; it then calls {@link #undoom}
   */
  boolean doom(String id, long announcedAfter, long now);

  /** Ends a gc's mark of {@code id}. */
  void undoom(String id);

  /** Whether an object of that id is registered; a derived query. */
  default boolean exists(String id) {
    return !existing(List.of(id)).isEmpty();
  }
}
