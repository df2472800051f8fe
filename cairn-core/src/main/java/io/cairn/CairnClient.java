package io.cairn;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.internal.client.ReadOnlyPipelineRunner;
import io.cairn.internal.json.Json;
import io.cairn.internal.store.HomeCheck;
import io.cairn.internal.store.JdbcStateStore;
import io.cairn.internal.store.LostDatabaseGuard;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineYaml;
import io.cairn.spi.BlobStore;
import io.cairn.spi.MapEntry;
import io.cairn.spi.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a home without running anything: statuses, stats, listings, resources, errors, logs, why,
 * durable maps and pipeline views, for the CLI's read commands, the server and tools.
 *
 * <pre>{@code
 * try (CairnClient client = CairnClient.open(Path.of(".cairn"))) {
 *   client.stats().forEach((collection, stats) -> System.out.println(collection + " " + stats));
 * }
 * }</pre>
 *
 * <p>Opening and every read start no thread, run no migration and create, change or delete no file
 * or directory: the home's tree, sizes and modification times stay as they were, whether or not a
 * writing process has it open. Reads see what writers have committed, at the moment of each call.
 * Thread-safe; close it to release its database connections.
 */
public final class CairnClient implements AutoCloseable {
  private final Cairn cairn;
  private final boolean owned;

  private CairnClient(Cairn cairn) {
    this(cairn, true);
  }

  private CairnClient(Cairn cairn, boolean owned) {
    this.cairn = cairn;
    this.owned = owned;
  }

  /**
   * Opens an existing home for reading.
   *
   * @throws IllegalArgumentException if {@code home} is null or is a file
   * @throws HomeNotFoundException if there is no Cairn home at {@code home}: no {@code cairn.db},
   *     or one that was never written
   * @throws CairnException if the home was used but lost its database, or if its database was
   *     written by a newer Cairn (upgrade) or an older one (upgrade the home first, see the
   *     message)
   */
  public static CairnClient open(Path home) {
    return open(home, null, null);
  }

  /**
   * Opens an existing home for reading, with its blobs in {@code blobs} (as a home opened with
   * {@code Cairn.builder().blobStore(...)} keeps them) instead of under {@code home/blobs}. The
   * client owns the store and closes it with itself, also if opening fails.
   *
   * @param blobs the blob store, or null for the home's own {@code blobs} directory
   * @throws IllegalArgumentException as {@link #open(Path)}
   * @throws HomeNotFoundException as {@link #open(Path)}
   * @throws CairnException as {@link #open(Path)}
   */
  public static CairnClient open(Path home, BlobStore blobs) {
    return open(home, null, blobs);
  }

  /**
   * Opens a home whose state lives in {@code state} (a server database, such as PostgreSQL) for
   * reading; blobs are read from {@code home/blobs}. The client owns the store and closes it.
   *
   * @throws IllegalArgumentException if {@code home} or {@code state} is null, or {@code home} is a
   *     file
   */
  public static CairnClient open(Path home, StateStore state) {
    if (state == null) {
      throw new IllegalArgumentException("state store must not be null");
    }
    return open(home, state, null);
  }

  /**
   * Opens a home for reading with its state in {@code state} and its blobs in {@code blobs}; a null
   * store means the home's own (its SQLite database, which must exist, or its {@code blobs}
   * directory). The client owns the stores given and closes them with itself, also if opening
   * fails.
   *
   * @throws IllegalArgumentException as {@link #open(Path)}
   * @throws HomeNotFoundException if {@code state} is null and there is no home at {@code home}
   * @throws CairnException as {@link #open(Path)}
   */
  public static CairnClient open(Path home, StateStore state, BlobStore blobs) {
    StateStore opened = null;
    try {
      Path abs = checkedHome(home);
      opened = state != null ? state : openSqlite(abs);
      return new CairnClient(
          Cairn.overReadOnlyStores(
              abs,
              opened,
              blobs != null ? blobs : FileSystemBlobStore.openReadOnly(abs.resolve("blobs"))));
    } catch (RuntimeException | Error e) {
      for (AutoCloseable c : new AutoCloseable[] {state != null ? state : opened, blobs}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception x) {
            e.addSuppressed(x);
          }
        }
      }
      throw e;
    }
  }

  private static Path checkedHome(Path home) {
    if (home == null) {
      throw new IllegalArgumentException("home must not be null");
    }
    Path abs = home.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IllegalArgumentException(
          "home " + abs + " is a file, not a directory: pass a Cairn home directory");
    }
    return abs;
  }

  /** The home's own database, read-only; refuses a home that does not exist or was never used. */
  private static StateStore openSqlite(Path abs) {
    Path db = abs.resolve("cairn.db");
    LostDatabaseGuard.check(abs, db);
    if (!Files.isRegularFile(db) || neverWritten(db)) {
      throw new HomeNotFoundException(abs);
    }
    return JdbcStateStore.openSqliteReadOnly(db, abs.toString());
  }

  /** A database file created but never written: empty, and no write-ahead log with frames. */
  private static boolean neverWritten(Path db) {
    try {
      Path wal = db.resolveSibling(db.getFileName() + "-wal");
      return Files.size(db) == 0 && (!Files.exists(wal) || Files.size(wal) == 0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + db + ": " + e.getMessage(), e);
    }
  }

  /**
   * A read view of a Cairn opened in this process, over its own stores (SQLite or a server database
   * alike): closing the view leaves {@code cairn} and its stores open.
   *
   * @throws IllegalArgumentException if {@code cairn} is null
   */
  public static CairnClient over(Cairn cairn) {
    if (cairn == null) {
      throw new IllegalArgumentException("cairn must not be null");
    }
    return new CairnClient(cairn, false);
  }

  /** The home, absolute. */
  public Path home() {
    return cairn.home();
  }

  /** All collection names known to the store, sorted. */
  public List<String> collections() {
    return cairn.collections();
  }

  /** Counts per status of every collection, by name, sorted. */
  public Map<String, Stats> stats() {
    return cairn.stats();
  }

  /**
   * Counts per status of one collection.
   *
   * @throws UnknownCollectionException if no process ever wrote the collection
   */
  public Stats stats(String collection) {
    return cairn.stats(collection);
  }

  /**
   * One page of idents with a status, in the order they were first asked for.
   *
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   * @throws UnknownCollectionException if no process ever wrote the collection
   */
  public Page<String> idsByStatus(String collection, Status status, String cursor, int limit) {
    return cairn.idsByStatus(collection, status, cursor, limit);
  }

  /**
   * One page of a collection's RUNNING resources with their lease records (owner, attempt, start,
   * lease expiry): what {@code cairn ps} shows. A resource that finished between the page's two
   * reads is left out.
   *
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   * @throws UnknownCollectionException if no process ever wrote the collection
   */
  public Page<io.cairn.spi.StoredResource> running(String collection, String cursor, int limit) {
    Page<String> keys = cairn.idsByStatus(collection, Status.RUNNING, cursor, limit);
    Map<String, io.cairn.spi.StoredResource> found =
        cairn.stateStore().getAll(collection, keys.items());
    List<io.cairn.spi.StoredResource> rows = new ArrayList<>(keys.items().size());
    for (String key : keys.items()) {
      io.cairn.spi.StoredResource r = found.get(key);
      if (r != null && r.status() == Status.RUNNING) {
        rows.add(r);
      }
    }
    return new Page<>(rows, keys.nextCursor());
  }

  /**
   * One resource's stored record with its lease (owner, attempt, start, lease expiry), as {@link
   * #running} gives them: who holds a running resource, and until when. Empty if never asked for.
   *
   * @throws UnknownCollectionException if no process ever wrote the collection
   * @throws IllegalArgumentException if the ident is not a valid one
   */
  public Optional<io.cairn.spi.StoredResource> stored(String collection, String ident) {
    cairn.stats(collection); // O(1): says when the collection is unknown, as every read does
    io.cairn.internal.engine.Names.checkKey(ident);
    return cairn.stateStore().get(collection, ident);
  }

  /**
   * The stored resource; UNAVAILABLE if never asked for.
   *
   * @throws UnknownCollectionException if no process ever wrote the collection
   * @throws CorruptDataException if its stored result or arguments cannot be read back
   */
  public Resource resource(String collection, String ident) {
    return cairn.resource(collection, ident);
  }

  /** The stack trace (or message) of the resource's last failure. */
  public Optional<String> error(String collection, String ident) {
    return cairn.error(collection, ident);
  }

  /** The resource's log, "" when it has none; the same lookup as {@link Cairn#log}. */
  public String log(String collection, String ident) {
    return cairn.log(collection, ident);
  }

  /**
   * The change cursor now: pass it to {@link #changesSince} to follow what changes from here on.
   */
  public long changeCursor() {
    return cairn.changeCursor();
  }

  /**
   * Resources written after {@code cursor}, in commit order, at most {@code limit} (1 to 100,000),
   * each once at its latest state; the page's cursor is where to continue.
   */
  public io.cairn.spi.ChangePage changesSince(long cursor, int limit) {
    return cairn.changesSince(cursor, limit);
  }

  /**
   * Where the resource's log is published in the blob store; the same as {@link Cairn#logBlobKey}.
   */
  public String logBlobKey(String collection, String ident) {
    return cairn.logBlobKey(collection, ident);
  }

  /**
   * Why the next fetch with the stored arguments would or would not compute: the same answer as
   * {@link Cairn#why(String, String)}, judged by the collection's version in the store.
   */
  public Why why(String collection, String ident) {
    return cairn.why(collection, ident);
  }

  /**
   * Why the next fetch with these arguments would or would not compute: the same answer as {@link
   * Cairn#why(String, String, Map)}.
   *
   * @param args JSON values, as for {@link Cairn#fetch(String, String, Map)}
   */
  public Why why(String collection, String ident, Map<String, ?> args) {
    return cairn.why(collection, ident, args);
  }

  /**
   * The home's catalog, for reading: {@code get}, {@code info}, {@code list}, {@code datasets},
   * {@code lineage}, {@code exportTo} and a dry-run {@code gc}. Anything that writes throws {@link
   * IllegalStateException} from the read-only stores: open the home with {@link Cairn#open} to
   * write.
   */
  public io.cairn.catalog.Catalog catalog() {
    return cairn.catalog();
  }

  /** Names of all durable maps, sorted. */
  public List<String> maps() {
    return cairn.maps();
  }

  /**
   * The number of entries of a durable map (0 for a map never written).
   *
   * @throws IllegalArgumentException if the name is not a valid map name
   */
  public long mapSize(String map) {
    checkMapName(map);
    return cairn.stateStore().mapSize(map);
  }

  /**
   * One page of a durable map's entries in insertion order, values as plain JSON values (maps,
   * lists, strings, numbers, booleans, null).
   *
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   * @throws CorruptDataException if a stored value is not readable JSON
   */
  public Page<Map.Entry<String, Object>> mapEntries(String map, String cursor, int limit) {
    checkMapName(map);
    Page<MapEntry> page = cairn.stateStore().mapEntries(map, cursor, limit);
    List<Map.Entry<String, Object>> items = new ArrayList<>(page.items().size());
    for (MapEntry e : page.items()) {
      items.add(new AbstractMap.SimpleImmutableEntry<>(e.key(), Json.read(e.json())));
    }
    return new Page<>(items, page.nextCursor());
  }

  private static void checkMapName(String map) {
    if (map == null || map.isEmpty()) {
      throw new IllegalArgumentException("map name must not be empty: pass a name from maps()");
    }
  }

  /**
   * Loads a {@code cairn.yaml} pipeline file against this home (its {@code blobs} and {@code
   * collection} repositories read this home).
   *
   * @throws io.cairn.pipeline.PipelineYamlException if the file cannot be read or is invalid
   */
  public Pipeline loadPipeline(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("pipeline file must not be null");
    }
    return PipelineYaml.load(file, cairn);
  }

  /**
   * A pipeline's views on this home: {@code status}, {@code trace}, {@code keys}, {@code link},
   * {@code jobDirectory}. {@code run}, {@code launch} and {@code remove*} throw {@link
   * IllegalStateException}: work runs through {@link Cairn}.
   */
  public PipelineRunner pipeline(Pipeline pipeline) {
    if (pipeline == null) {
      throw new IllegalArgumentException("pipeline must not be null");
    }
    return new ReadOnlyPipelineRunner(cairn.pipeline(pipeline));
  }

  /**
   * Verifies a home's invariants (counts equal rows, no running resource without an owner or a
   * lease, every stored result and value readable JSON) and returns one line per problem; reads
   * only, like every other method here. Static: a home too damaged to open can still be checked.
   *
   * @throws HomeNotFoundException if there is no Cairn home at {@code home}
   * @throws CairnException if the home was used but lost its database
   */
  public static CheckReport check(Path home) {
    if (home == null) {
      throw new IllegalArgumentException("home must not be null");
    }
    Path abs = home.toAbsolutePath().normalize();
    Path db = abs.resolve("cairn.db");
    LostDatabaseGuard.check(abs, db);
    if (!Files.isRegularFile(db)) {
      throw new HomeNotFoundException(abs);
    }
    if (neverWritten(db)) {
      return new CheckReport(0, 0, 0, List.of()); // created, never written: nothing to check
    }
    HomeCheck.Report r = HomeCheck.check(db);
    return new CheckReport(r.collections(), r.resources(), r.maps(), r.violations());
  }

  /**
   * What {@link #check} found: how much it checked, and one line per broken invariant.
   *
   * @param violations empty when the home is sound
   */
  public record CheckReport(int collections, long resources, int maps, List<String> violations) {
    public CheckReport {
      violations = List.copyOf(violations);
    }

    /** Whether no invariant is broken. */
    public boolean ok() {
      return violations.isEmpty();
    }
  }

  /** Closes the database connections. Idempotent. */
  @Override
  public void close() {
    if (owned) {
      cairn.close();
    }
  }
}
