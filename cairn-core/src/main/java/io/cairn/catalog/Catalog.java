package io.cairn.catalog;

import io.cairn.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed objects with metadata, grouped in datasets, partitions and jobs, with lineage:
 * {@code cairn.catalog()}.
 *
 * <p>An object's id is the SHA-256 of its bytes: the same bytes put twice, from any threads or
 * processes sharing the home, are stored once. Every read checks the hash, so a damaged or changed
 * blob is reported ({@link io.cairn.CorruptDataException}), never returned as valid data. A
 * registration that returned is durable in the state store; there is no save step.
 *
 * <p>Thread-safe; several processes may share one catalog. Ids given to any method are checked: an
 * id that is not 64 hex digits throws {@link IllegalArgumentException}, an unknown one {@link
 * CatalogException} naming it.
 */
public interface Catalog {

  /** Stores and registers {@code bytes}; returns the object. */
  CatalogObject put(byte[] bytes, PutOptions options);

  /**
   * Stores and registers what {@code in} yields, read to its end (spooled to a local temp file
   * while hashed, so it is never held in memory). The stream is not closed.
   *
   * @throws IOException if reading {@code in} or writing the blob fails; nothing is registered
   */
  CatalogObject put(InputStream in, PutOptions options) throws IOException;

  /**
   * Stores (or, with {@link PutOptions#referenceInPlace}, references) the file and registers it.
   *
   * @throws IOException if reading the file or writing the blob fails; nothing is registered
   */
  CatalogObject put(Path file, PutOptions options) throws IOException;

  /**
   * The whole content, checked against its id before it is returned.
   *
   * @throws io.cairn.CorruptDataException if the stored bytes do not hash to the id
   * @throws CatalogException if there is no such object
   */
  byte[] get(String id) throws IOException;

  /**
   * Writes the content to {@code target} (replaced atomically, and only once the bytes hashed
   * right).
   *
   * @throws io.cairn.CorruptDataException if the stored bytes do not hash to the id; {@code target}
   *     is then left as it was
   */
  void get(String id, Path target) throws IOException;

  /**
   * A stream of the content that hashes as it is read: reading its end throws {@link
   * io.cairn.CorruptDataException} if the bytes were not the object's. Read it to the end before
   * trusting what it gave; {@link #get} checks before returning anything.
   */
  InputStream open(String id) throws IOException;

  /** The object's metadata, or empty if no such object is registered. */
  Optional<CatalogObject> info(String id);

  /** Whether an object of this id is registered. */
  boolean exists(String id);

  /** Where the object is registered, in dataset, job, partition order. */
  List<Placement> placements(String id);

  /**
   * One page of the objects matching {@code filter}, by id.
   *
   * @param cursor null for the first page, else the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 10,000
   */
  Page<CatalogObject> list(ObjectFilter filter, String cursor, int limit);

  /**
   * Creates a dataset of the given menu and configuration objects.
   *
   * @throws CatalogException naming the menu or configuration id that is not a catalog object
   */
  Dataset createDataset(String menuId, String configId);

  /** The dataset, or empty. */
  Optional<Dataset> dataset(String id);

  /** One page of the datasets, by id. */
  Page<Dataset> datasets(String cursor, int limit);

  /**
   * Adds a partition to a dataset; idempotent: an existing key keeps its place.
   *
   * @return whether it was new
   * @throws CatalogException if there is no such dataset
   */
  boolean addPartition(String dataset, String key);

  /** The dataset's partition keys in the order they were added. */
  List<String> partitions(String dataset);

  /**
   * The dataset's next job number: 0, 1, 2, ..., with no gap and no duplicate across processes.
   *
   * @throws CatalogException if there is no such dataset
   */
  long newJob(String dataset);

  /** The dataset's job numbers, ascending. */
  List<Long> jobs(String dataset);

  /**
   * Registers an existing object in a dataset's partition, as written by one of its jobs.
   *
   * @throws CatalogException naming the object, dataset, job or partition that does not exist
   */
  void register(String id, Placement placement);

  /**
   * The objects an object was made from and those made from it, up to {@code depth} links each way
   * (1 to 100), with the placements (and so the jobs) of each.
   */
  Lineage lineage(String id, int depth);

  /**
   * Deletes the blobs no catalog object references. A blob being put meanwhile is kept: a put
   * announces its id in the state store before it writes, and gc never deletes an announced id.
   */
  GcReport gc(boolean dryRun) throws IOException;

  /**
   * Writes the whole catalog ({@code dataset} null) or one dataset with its menu, configuration and
   * objects (and their ancestors) to one zip file: {@code manifest.json} plus the blobs.
   */
  void exportTo(Path file, String dataset) throws IOException;

  /**
   * Adds what an {@link #exportTo export} holds. Importing the same file twice changes nothing; a
   * file that conflicts with this catalog (a dataset of the same id with another menu or
   * configuration, an object whose bytes do not hash to its id) is refused before anything is
   * written, naming the conflict.
   */
  ImportReport importFrom(Path file) throws IOException;
}
