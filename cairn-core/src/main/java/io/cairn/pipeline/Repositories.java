package io.cairn.pipeline;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.internal.pipeline.repo.BlobRepository;
import io.cairn.internal.pipeline.repo.Combinators;
import io.cairn.internal.pipeline.repo.DirectoryRepository;
import io.cairn.internal.pipeline.repo.FileRepository;
import io.cairn.internal.pipeline.repo.InMemoryRepository;
import io.cairn.internal.pipeline.repo.MetadataRepository;
import io.cairn.spi.BlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The repositories Cairn ships. */
public final class Repositories {
  private Repositories() {}

  /** Files {@code dir/<key><extension>} (extension may be ""). */
  public static StreamRepository files(Path dir, String extension) {
    return new FileRepository(dir, extension);
  }

  /** Directories {@code dir/<key>/}. */
  public static Repository directories(Path dir) {
    return new DirectoryRepository(dir);
  }

  /** Blobs {@code <prefix>/<key>} in a blob store (e.g. {@code cairn.blobs()}). */
  public static StreamRepository blobs(BlobStore blobs, String prefix) {
    return new BlobRepository(blobs, prefix);
  }

  /**
   * A catalog dataset ({@code cairn.catalog()}): a key is a partition of the dataset; writing it
   * puts the bytes content-addressed under a new job of the dataset, published when the pipeline
   * job completes; reading it reads the object of its newest job, hash-checked.
   *
   * @throws IllegalArgumentException if the dataset does not exist
   */
  public static StreamRepository catalog(io.cairn.catalog.Catalog catalog, String dataset) {
    return new io.cairn.internal.pipeline.repo.CatalogRepository(catalog, dataset);
  }

  /** A JSON file of metadata per key, {@code dir/<key>.json}. */
  public static ValueRepository metadata(Path dir) {
    return new MetadataRepository(dir, false);
  }

  /** A YAML file of metadata per key, {@code dir/<key>.yaml}. */
  public static ValueRepository yamlMetadata(Path dir) {
    return new MetadataRepository(dir, true);
  }

  /** Values in memory (tests, in-process pipelines). */
  public static ValueRepository inMemory(String name) {
    return new InMemoryRepository(name);
  }

  /**
   * The COMPLETED resources of a collection (any face's: collection, tracker, task), result as
   * info.
   */
  public static Repository collection(Cairn cairn, String collection) {
    return new CollectionRepository(cairn, collection);
  }

  /** A collection seen as a repository; a pipeline graph links it to the task writing it. */
  static final class CollectionRepository implements Repository {
    private final Cairn cairn;
    private final String collection;

    CollectionRepository(Cairn cairn, String collection) {
      this.cairn = cairn;
      this.collection = collection;
    }

    String collection() {
      return collection;
    }

    @Override
    public String describe() {
      return "collection(" + collection + ")";
    }

    @Override
    public Stream<String> keys() {
      return cairn.collections().contains(collection)
          ? cairn.streamIdsByStatus(collection, Status.COMPLETED).filter(JobKeys::isValid)
          : Stream.empty();
    }

    @Override
    public boolean contains(String key) {
      return cairn.collections().contains(collection)
          && cairn.status(collection, key) == Status.COMPLETED;
    }

    @Override
    public Optional<Object> info(String key) {
      return contains(key)
          ? Optional.ofNullable(cairn.resource(collection, key).result())
          : Optional.empty();
    }
  }

  /** Keys in every repository. */
  public static Repository allOf(Repository... parts) {
    return Combinators.allOf(List.of(parts));
  }

  /** Keys in any repository. */
  public static Repository anyOf(Repository... parts) {
    return Combinators.anyOf(List.of(parts));
  }

  /** Keys in {@code a} and not in {@code b}. */
  public static Repository blockedBy(Repository a, Repository b) {
    return Combinators.blockedBy(a, b);
  }

  /** Keys of {@code a} that pass {@code keep}. */
  public static Repository filtered(Repository a, Predicate<String> keep, String description) {
    return Combinators.filtered(a, keep, description);
  }

  /**
   * {@code a} under translated keys: {@code toA} maps a key here to a's key, {@code fromA} back.
   */
  public static Repository mapped(
      Repository a,
      Function<String, String> toA,
      Function<String, String> fromA,
      String description) {
    return Combinators.mapped(a, toA, fromA, description);
  }

  /**
   * Job j is {@code relation.info(j)} in {@code target} (a job key translated through another
   * repository).
   */
  public static Repository related(Repository target, Repository relation) {
    return Combinators.related(target, relation);
  }
}
