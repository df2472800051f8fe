package io.cairn;

import io.cairn.collection.CollectionOptions;
import io.cairn.collection.ComputeFunction;
import io.cairn.collection.FetchAllResult;
import io.cairn.collection.FetchProgressListener;
import io.cairn.collection.ResourceCollection;
import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import io.cairn.durable.ProgressTracker;
import io.cairn.durable.TrackerOptions;
import io.cairn.internal.collection.CollectionService;
import io.cairn.internal.durable.DurableService;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.CloseAll;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.exec.ExecutorRegistry;
import io.cairn.internal.json.Json;
import io.cairn.internal.pipeline.PipelineService;
import io.cairn.internal.store.JdbcStateStore;
import io.cairn.internal.store.LostDatabaseGuard;
import io.cairn.internal.store.SqliteDialect;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The one entry point: a project home with its state store, blob store and registered faces.
 *
 * <pre>{@code
 * try (Cairn cairn = Cairn.open(Path.of(".cairn"))) {
 *   cairn.collection("thumbnails", (ident, args, ctx) -> {
 *     ctx.log().info("rendering {}", ident);
 *     return Map.of("bytes", render(ident, ctx.storage()));
 *   });
 *   Resource r = cairn.fetch("thumbnails", "photo-17.jpg");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Several may be open in one JVM, on one home or on different ones, and several
 * processes may share one home: computation of a resource happens once across all of them. Reading
 * status, stats and listings starts no threads.
 */
public final class Cairn implements AutoCloseable {
  private final Engine engine;
  private final CollectionService collections;
  private final DurableService durables;

  private Cairn(Engine engine) {
    this.engine = engine;
    this.collections = new CollectionService(engine);
    this.durables = new DurableService(engine);
  }

  /**
   * Opens (creating if needed) a home on the defaults: SQLite state in {@code home/cairn.db}, blobs
   * under {@code home/blobs}.
   *
   * @throws IllegalArgumentException if {@code home} exists and is not a directory
   * @throws CairnException if the home was used (its {@code resources/}, {@code blobs/} or {@code
   *     work/} hold files) but its {@code cairn.db} is missing or empty: it is not started over
   */
  public static Cairn open(Path home) {
    return builder().home(home).open();
  }

  /**
   * A Cairn over stores that only read, for {@link CairnClient}: no thread starts until something
   * writes, and every write fails in the stores.
   */
  static Cairn overReadOnlyStores(Path home, StateStore state, BlobStore blobs) {
    Engine engine = new Engine(home, state, blobs, InstantSource.system(), Duration.ofSeconds(30));
    engine.markViewOnly();
    return new Cairn(engine);
  }

  /** Configures stores, clock and leases before opening. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- collections

  /**
   * Registers a collection without a version. See {@link #collection(String, String,
   * ComputeFunction)}.
   */
  public ResourceCollection collection(String name, ComputeFunction fn) {
    return collection(name, "", fn);
  }

  /**
   * Registers a collection.
   *
   * @param name 1-128 letters, digits, '_', '.', '-'
   * @param version changing it makes the collection's completed resources stale, so the next fetch
   *     recomputes them
   * @throws IllegalArgumentException if the name is invalid or already registered in this Cairn
   */
  public ResourceCollection collection(String name, String version, ComputeFunction fn) {
    if (durables.hasTracker(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is a progress tracker here; use another collection name");
    }
    CollectionService.Registered r = collections.register(name, version, fn);
    return new Handle(this, r.name(), r.version());
  }

  /**
   * Registers a collection with options: its version and the executor its compute function runs on.
   * See {@link #collection(String, String, ComputeFunction)}.
   *
   * @throws IllegalArgumentException also if the executor is unknown (the message lists the known
   *     ones) or runs only scripts
   */
  public ResourceCollection collection(String name, CollectionOptions options, ComputeFunction fn) {
    if (options == null) {
      throw new IllegalArgumentException(
          "collection options must not be null; use CollectionOptions.defaults()");
    }
    if (options.executor() != null) {
      engine.executors().check(options.executor(), false, "collection '" + name + "'");
    }
    ResourceCollection handle = collection(name, options.version(), fn);
    if (options.executor() != null) {
      collections.setExecutor(name, options.executor());
    }
    return handle;
  }

  /** Fetches with no arguments. See {@link #fetch(String, String, Map, boolean)}. */
  public Resource fetch(String collection, String ident) {
    return fetch(collection, ident, Map.of(), false);
  }

  /** Fetches without forcing a recompute. See {@link #fetch(String, String, Map, boolean)}. */
  public Resource fetch(String collection, String ident, Map<String, ?> args) {
    return fetch(collection, ident, args, false);
  }

  /**
   * Returns a resource, computing it first if needed.
   *
   * <p>COMPLETED with the same arguments and collection version: returned from the store, the
   * function does not run. ABORTED: returned as is. Otherwise the function runs in the calling
   * thread under a lease; if another thread or process is computing it, this waits for that
   * computation instead. A function that throws does not make {@code fetch} throw: the resource
   * comes back ERROR with the stack trace in {@link Resource#error()}, and after a failed recompute
   * the previous result stays readable.
   *
   * @param args JSON values (maps, lists, strings, numbers, booleans, null, records)
   * @param recompute run the function even if the stored result is up to date
   * @throws UnknownCollectionException if the collection is not registered in this Cairn
   * @throws IllegalArgumentException if the ident is empty, is not valid Unicode (a lone
   *     surrogate), contains NUL or is over 64 KiB, or the arguments are not JSON values (see
   *     {@link ComputeFunction}); the message names the position or the offending part
   */
  public Resource fetch(String collection, String ident, Map<String, ?> args, boolean recompute) {
    return collections.fetch(collection, ident, copyArgs(args), recompute);
  }

  /**
   * Fetches many resources; see {@link #fetchAll(String, Iterable, Map, int,
   * FetchProgressListener)}.
   */
  public FetchAllResult fetchAll(
      String collection, Iterable<String> idents, Map<String, ?> args, int parallelism) {
    return fetchAll(collection, idents, args, parallelism, FetchProgressListener.none());
  }

  /**
   * Fetches many resources of one collection with {@code parallelism} threads, batching the store's
   * writes. Invalid idents are skipped and reported in the result; failures make resources ERROR,
   * as with {@link #fetch}. Idents may be a lazy iterable of millions.
   *
   * @param parallelism 1 to 1024 threads
   * @param listener told of progress about ten times a second, and once at the end
   */
  public FetchAllResult fetchAll(
      String collection,
      Iterable<String> idents,
      Map<String, ?> args,
      int parallelism,
      FetchProgressListener listener) {
    return collections.fetchAll(collection, idents, copyArgs(args), parallelism, listener);
  }

  private static Map<String, Object> copyArgs(Map<String, ?> args) {
    if (args == null) {
      return Map.of();
    }
    Map<String, Object> copy = new HashMap<>();
    args.forEach(
        (k, v) -> {
          if (k == null) {
            throw new IllegalArgumentException("fetch arguments must not have a null key");
          }
          copy.put(k, v);
        });
    return copy;
  }

  // ---------------------------------------------------------------- maps and trackers

  /** A durable map of plain JSON values (maps, lists, strings, numbers, booleans, null). */
  public DurableMap<Object> map(String name) {
    return durables.map(name, null, MapOptions.defaults());
  }

  /** A durable map whose values are converted to and from {@code type} with Jackson. */
  public <V> DurableMap<V> map(String name, Class<V> type) {
    return map(name, type, MapOptions.defaults());
  }

  /**
   * A durable map; see {@link DurableMap}. Handles of one name share their pending writes; all must
   * use the same options.
   *
   * @param name 1-128 letters, digits, '_', '.', '-'
   * @param type the value type, converted with Jackson ({@code Object.class}: plain JSON values)
   */
  public <V> DurableMap<V> map(String name, Class<V> type, MapOptions options) {
    if (type == null) {
      throw new IllegalArgumentException("map value type must not be null; use Object.class");
    }
    return durables.map(name, type == Object.class ? null : type, options);
  }

  /** Names of all durable maps in the store. */
  public List<String> maps() {
    return engine.store().maps();
  }

  /** A progress tracker with unlimited tries. */
  public ProgressTracker tracker(String name) {
    return tracker(name, TrackerOptions.defaults());
  }

  /** A progress tracker skipping keys after {@code maxTries} tries (0 = unlimited). */
  public ProgressTracker tracker(String name, int maxTries) {
    return tracker(name, TrackerOptions.defaults().maxTries(maxTries));
  }

  /**
   * A progress tracker; see {@link ProgressTracker}. Its entries are resources of the collection of
   * the same name.
   *
   * @throws IllegalArgumentException if a collection with a compute function has that name here
   */
  public ProgressTracker tracker(String name, TrackerOptions options) {
    if (collections.isRegistered(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is a collection with a compute function here; use another tracker name");
    }
    return durables.tracker(name, options);
  }

  // ---------------------------------------------------------------- pipelines

  /**
   * Binds a pipeline to this Cairn: run it, read its status, trace, launch and remove jobs. Its
   * jobs are resources of the collections {@code <pipeline>.<task>}; its job directories (params,
   * logs, named outputs) are in this Cairn's blob store under {@code <pipeline>/<task>/<job>/}.
   *
   * @throws IllegalArgumentException if a script task's template uses unknown names
   */
  public PipelineRunner pipeline(Pipeline pipeline) {
    return new PipelineService(java.util.Objects.requireNonNull(pipeline, "pipeline"), engine);
  }

  /**
   * Works as a worker until the calling thread is interrupted: claims what was queued for workers,
   * in this or another process, and runs it, {@code threads} at once, exactly as a run's own
   * workers or a {@code fetch} would (same leases, logs, staging and fenced outcomes): the jobs of
   * these pipelines that a schedule-only run ({@code RunOptions.withWorkers(0)}, {@code cairn run
   * --workers 0}) queued, and the resources of these collections (registered on this Cairn) that
   * {@link #submit} queued. When interrupted (SIGTERM in {@code cairn worker}) it stops claiming,
   * gives back what it had claimed ahead, lets running jobs finish for up to {@code drain}, then
   * interrupts and gives back the rest.
   *
   * @param pipelines the pipelines whose jobs to run
   * @param collections registered collections whose submitted resources to run
   * @return what this worker did, per task ({@code <pipeline>.<task>}) and collection
   * @throws IllegalArgumentException if there is nothing to work on, a pipeline is given twice, a
   *     collection is not registered here, {@code threads} is not 1 to 10000, or {@code drain} is
   *     negative
   */
  public io.cairn.pipeline.RunSummary work(
      List<Pipeline> pipelines, List<String> collections, int threads, Duration drain) {
    return work(pipelines, collections, threads, drain, null);
  }

  /**
   * Works as {@link #work(List, List, int, Duration)} does, and also returns on its own once this
   * worker has held no job and found none to claim for {@code idleExit} (by this Cairn's clock): a
   * worker on a batch system (a Slurm job) ends when the queue stays empty instead of holding its
   * allocation. A worker that holds work never stops for idleness.
   *
   * @param idleExit how long to stay idle before returning, or null to work until interrupted
   * @throws IllegalArgumentException as the other overload, or if {@code idleExit} is not positive
   */
  public io.cairn.pipeline.RunSummary work(
      List<Pipeline> pipelines,
      List<String> collections,
      int threads,
      Duration drain,
      Duration idleExit) {
    if (idleExit != null && (idleExit.isNegative() || idleExit.isZero())) {
      throw new IllegalArgumentException(
          "idle exit must be positive (or null for never), got " + idleExit);
    }
    java.util.Objects.requireNonNull(pipelines, "pipelines");
    java.util.Objects.requireNonNull(collections, "collections");
    if (drain == null || drain.isNegative()) {
      throw new IllegalArgumentException("drain must be 0 or more, got " + drain);
    }
    Map<String, io.cairn.internal.engine.QueueWorker.Job> jobs = new java.util.LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      new PipelineService(java.util.Objects.requireNonNull(p, "pipeline"), engine)
          .queueJobs()
          .forEach(
              (c, job) -> {
                if (jobs.putIfAbsent(c, job) != null) {
                  throw new IllegalArgumentException("pipeline '" + p.name() + "' is given twice");
                }
              });
    }
    for (String c : collections) {
      jobs.put(c, this.collections.queueJob(c));
    }
    return new io.cairn.internal.engine.QueueWorker(
            engine, jobs, threads, Duration.ofMillis(250), drain, idleExit)
        .run();
  }

  /** The collections registered in this Cairn (with their compute functions), sorted. */
  public List<String> registeredCollections() {
    List<String> names = collections.registeredNames();
    java.util.Collections.sort(names);
    return names;
  }

  /**
   * Queues resources of a registered collection for workers ({@link #work}, {@code cairn worker} in
   * any process sharing this home's stores), instead of computing them here: each becomes QUEUED
   * carrying its work (the collection's function, by name, with {@code args}), unless it is already
   * up to date, aborted, or being computed. A worker runs each exactly once.
   *
   * @return how many this call queued
   * @throws UnknownCollectionException if the collection is not registered here
   */
  public long submit(String collection, Iterable<String> idents, Map<String, ?> args) {
    Map<String, Object> safe = args == null ? Map.of() : new HashMap<>(args);
    return collections.submit(collection, idents, safe);
  }

  // ---------------------------------------------------------------- reading

  /**
   * The stored resource, without computing anything; UNAVAILABLE if never asked for.
   *
   * @throws UnknownCollectionException if no process ever registered the collection
   * @throws CorruptDataException if its stored result or arguments cannot be read back
   */
  public Resource resource(String collection, String ident) {
    return collections.resource(collection, ident);
  }

  /** The status of one resource (UNAVAILABLE if never asked for). */
  public Status status(String collection, String ident) {
    return resource(collection, ident).status();
  }

  /** The stack trace (or message) of the resource's last failure. */
  public Optional<String> error(String collection, String ident) {
    return Optional.ofNullable(resource(collection, ident).error());
  }

  /**
   * The resource's log (lines written through {@code ctx.log()}; a pipeline job's log), "" when it
   * has none. Every attempt's lines are there, each after a {@code --- attempt N by <owner> ---}
   * header: the finished attempts' from the blob store, where they were published when each attempt
   * ended (readable from any machine sharing the blob store), then a running attempt's from its
   * local in-progress file ({@code paths().log()}) on this machine, or from the chunks it publishes
   * while it runs elsewhere.
   *
   * @throws UnknownCollectionException if no process ever registered the collection
   * @throws UncheckedIOException if the blob store or the local file cannot be read
   */
  public String log(String collection, String ident) {
    return collections.log(collection, ident);
  }

  /** The change cursor now (see {@link #changesSince}). */
  public long changeCursor() {
    return engine.store().changeCursor();
  }

  /**
   * Resources written after {@code cursor} (from {@link #changeCursor} or an earlier page), in
   * commit order, at most {@code limit} (1 to 100,000), each once at its latest state: live views
   * follow a home with it without scanning.
   */
  public io.cairn.spi.ChangePage changesSince(long cursor, int limit) {
    return engine.store().changesSince(cursor, limit);
  }

  /**
   * The blob key (in {@link #blobs()}) where the resource's log is published when an attempt ends,
   * readable from any machine sharing the blob store.
   */
  public String logBlobKey(String collection, String ident) {
    collections.requireKnown(collection);
    return io.cairn.internal.engine.LogReader.locate(engine.blobs(), collection, ident).value();
  }

  /** Why the next fetch without arguments-change would or would not compute (stored arguments). */
  public Why why(String collection, String ident) {
    return collections.why(collection, ident, null);
  }

  /** Why the next fetch with these arguments would or would not compute. */
  public Why why(String collection, String ident, Map<String, ?> args) {
    return collections.why(collection, ident, copyArgs(args));
  }

  /**
   * How long this Cairn's group commits of resource changes took since it opened (a histogram), for
   * monitoring. Commits of other processes sharing the store are not in it.
   */
  public CommitStats commitStats() {
    return engine.commitTimes().snapshot();
  }

  /** Counts per status of one collection, maintained by the store (O(1) at any size). */
  public Stats stats(String collection) {
    collections.requireKnown(collection);
    return engine.store().stats(collection);
  }

  /** Counts per status of every collection, by name. */
  public Map<String, Stats> stats() {
    Map<String, Stats> stored = engine.store().stats();
    Map<String, Stats> all = new java.util.LinkedHashMap<>();
    for (String c : collections()) {
      Stats s = stored.get(c);
      all.put(c, s != null ? s : Stats.empty());
    }
    return all;
  }

  /** All collection names: registered here or known to the store, sorted. */
  public List<String> collections() {
    return collections.knownNames();
  }

  /**
   * Idents with a status, in the order they were first asked for. Loads them all: for large
   * collections use {@link #idsByStatus(String, Status, String, int)} or {@link
   * #streamIdsByStatus}.
   */
  public List<String> idsByStatus(String collection, Status status) {
    List<String> all = new ArrayList<>();
    streamIdsByStatus(collection, status).forEach(all::add);
    return all;
  }

  /**
   * One page of idents with a status, in insertion order.
   *
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   */
  public Page<String> idsByStatus(String collection, Status status, String cursor, int limit) {
    collections.requireKnown(collection);
    if (status == null) {
      throw new IllegalArgumentException("status must not be null");
    }
    return engine.store().keys(collection, status, cursor, limit);
  }

  /**
   * One page of idents whose status is any of {@code statuses}, in insertion order (one merged
   * listing; each page costs O(limit) whatever the collection's size).
   *
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   * @throws IllegalArgumentException if {@code statuses} is empty or holds UNAVAILABLE
   */
  public Page<String> idsByStatus(
      String collection, Set<Status> statuses, String cursor, int limit) {
    collections.requireKnown(collection);
    if (statuses == null || statuses.isEmpty() || statuses.contains(Status.UNAVAILABLE)) {
      throw new IllegalArgumentException(
          "statuses must name stored statuses (queued, running, completed, error, aborted), got "
              + statuses);
    }
    return engine.store().keys(collection, EnumSet.copyOf(statuses), cursor, limit);
  }

  /**
   * One page of idents that start with {@code prefix} and whose status is any of {@code statuses},
   * in ident order (UTF-8 bytes): a keyset range on an index, fast whatever the collection's size.
   * Exact per page for every status or ERROR alone; for other status sets a page may come back
   * short (even empty) with a cursor to go on, see {@link io.cairn.spi.ResourceStore#keysByPrefix}.
   *
   * @param prefix the ident prefix, empty for every ident
   * @param cursor null for the first page, then the previous page's {@link Page#nextCursor()}
   * @param limit 1 to 100,000
   * @throws IllegalArgumentException if {@code statuses} is empty or holds UNAVAILABLE, or the
   *     cursor is not one this listing gave out
   */
  public Page<String> idsByPrefix(
      String collection, Set<Status> statuses, String prefix, String cursor, int limit) {
    collections.requireKnown(collection);
    if (statuses == null || statuses.isEmpty() || statuses.contains(Status.UNAVAILABLE)) {
      throw new IllegalArgumentException(
          "statuses must name stored statuses (queued, running, completed, error, aborted), got "
              + statuses);
    }
    return engine
        .store()
        .keysByPrefix(
            collection, EnumSet.copyOf(statuses), prefix == null ? "" : prefix, cursor, limit);
  }

  /**
   * Makes these resources QUEUED again with their attempts reset, if they are ERROR or ABORTED
   * (others stay as they are), keeping their work: a worker (or the next fetch) runs them again.
   * One transaction.
   *
   * @return how many were requeued
   */
  public long requeue(String collection, Collection<String> idents) {
    collections.requireKnown(collection);
    long now = engine.now();
    List<StateChange> changes = new ArrayList<>();
    for (String ident : idents) {
      changes.add(new Changes.Requeue(collection, ident, now));
    }
    return written(engine.store().apply(changes));
  }

  /**
   * Gives up on these resources: the ERROR ones become ABORTED (others stay as they are), so no
   * retry or worker picks them up until they are requeued. One transaction.
   *
   * @return how many were aborted
   */
  public long abort(String collection, Collection<String> idents) {
    collections.requireKnown(collection);
    List<StateChange> changes = new ArrayList<>();
    for (String ident : idents) {
      changes.add(new Changes.AbortFailed(collection, ident));
    }
    return written(engine.store().apply(changes));
  }

  private static long written(List<ChangeResult> results) {
    return results.stream().filter(ChangeResult::applied).count();
  }

  /** All idents with a status, read page by page as the stream is consumed. */
  public Stream<String> streamIdsByStatus(String collection, Status status) {
    Page<String> first = idsByStatus(collection, status, null, 10_000);
    Iterator<String> it =
        new Iterator<>() {
          Page<String> page = first;
          int i;

          @Override
          public boolean hasNext() {
            while (i >= page.items().size()) {
              if (!page.hasMore()) {
                return false;
              }
              page = idsByStatus(collection, status, page.nextCursor(), 10_000);
              i = 0;
            }
            return true;
          }

          @Override
          public String next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.items().get(i++);
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /**
   * Makes every resource of a collection in status {@code from} (ERROR or ABORTED, say) QUEUED with
   * its attempts reset, so the next fetch computes it.
   *
   * @return how many were reset
   */
  public long reset(String collection, Status from) {
    collections.requireKnown(collection);
    return engine.store().moveAll(collection, from, Status.QUEUED, engine.now());
  }

  /** The state store, for {@link CairnClient}'s map reads. */
  StateStore stateStore() {
    return engine.store();
  }

  /** The project home. */
  public Path home() {
    return engine.home();
  }

  private volatile io.cairn.catalog.Catalog catalog;

  /**
   * The catalog of this home: content-addressed objects in the blob store, their records in the
   * state store.
   *
   * @throws UnsupportedOperationException if the state store keeps no catalog
   */
  public io.cairn.catalog.Catalog catalog() {
    io.cairn.catalog.Catalog c = catalog;
    if (c == null) {
      synchronized (this) {
        c = catalog;
        if (c == null) {
          c =
              new io.cairn.internal.catalog.DefaultCatalog(
                  engine.store().catalogStore(),
                  engine.blobs(),
                  engine.clock(),
                  engine.home().resolve("work").resolve("catalog"));
          catalog = c;
        }
      }
    }
    return c;
  }

  /** The blob store (where pipeline outputs and catalog objects live). */
  public BlobStore blobs() {
    return engine.blobs();
  }

  /**
   * Flushes pending writes, stops threads, closes the stores. Idempotent. Every step runs even if
   * an earlier one fails (a map whose pending writes cannot be written, say): the stores are
   * closed, every thread stopped and the shutdown hook removed all the same, and then the first
   * failure is thrown, the others suppressed in it.
   *
   * @throws CairnException (or another exception) if pending writes could not be flushed or a store
   *     failed to close
   */
  @Override
  public void close() {
    // Executors before the engine: what still runs is cancelled while its stores are open.
    CloseAll.run(durables, engine.executors(), engine);
  }

  // ---------------------------------------------------------------- builder

  /** Chooses stores, clock and lease duration. Every setter validates its value. */
  public static final class Builder {
    private Path home;
    private StateStore stateStore;
    private BlobStore blobStore;
    private InstantSource clock = InstantSource.system();
    private Duration lease = Duration.ofSeconds(30);
    private boolean syncEveryCommit;
    private boolean customStoresUsed;
    private long maxResultBytes = Json.DEFAULT_MAX_RESULT_BYTES;
    private final Map<String, ResourceExecutor> executors = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers an executor under a name, for tasks ({@code PipelineTask.Builder.executor}, YAML
     * {@code executor:}) and collections ({@link CollectionOptions#executor}) to run on. {@code
     * in-process} and {@code local-process} are built in, owned and closed by the Cairn; an
     * executor registered here stays the caller's to close, after the Cairn.
     *
     * @param name 1-64 letters, digits, '_', '.', ':', '-'; not a built-in name, not registered yet
     * @throws IllegalArgumentException saying which of these was broken
     */
    public Builder executor(String name, ResourceExecutor executor) {
      ExecutorRegistry.checkName(name);
      if (ExecutorRegistry.builtIn(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is a built-in executor; register yours under another name");
      }
      if (executor == null) {
        throw new IllegalArgumentException("executor '" + name + "' must not be null");
      }
      if (executors.containsKey(name)) {
        throw new IllegalArgumentException(
            "an executor named '" + name + "' is already registered; give each its own name");
      }
      executors.put(name, executor);
      return this;
    }

    /** The project home; created if missing. Required. */
    public Builder home(Path home) {
      if (home == null) {
        throw new IllegalArgumentException("home must not be null");
      }
      if (Files.exists(home) && !Files.isDirectory(home)) {
        throw new IllegalArgumentException(
            "home "
                + home
                + " is a file, not a directory: pass a directory (it is created if"
                + " missing)");
      }
      this.home = home;
      return this;
    }

    /**
     * The state store; default: SQLite in {@code home/cairn.db}. The Cairn opened from this builder
     * owns the store and closes it with itself, so one store instance serves one open Cairn.
     *
     * @throws IllegalArgumentException if {@code store} is null, or if {@link
     *     #syncEveryCommit(boolean) syncEveryCommit(true)} was set: that option configures only the
     *     default SQLite store
     */
    public Builder stateStore(StateStore store) {
      if (store == null) {
        throw new IllegalArgumentException("state store must not be null");
      }
      if (syncEveryCommit) {
        throw conflict();
      }
      this.stateStore = store;
      return this;
    }

    /**
     * The blob store; default: files under {@code home/blobs}. Owned and closed as the state store.
     */
    public Builder blobStore(BlobStore store) {
      if (store == null) {
        throw new IllegalArgumentException("blob store must not be null");
      }
      this.blobStore = store;
      return this;
    }

    /** The clock leases and timings are read from; default: the system clock. */
    public Builder clock(InstantSource clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * How long a lease lasts without renewal (default 30 s; renewed every third of it). A crashed
     * process's resources are claimable again this long after it died. With the default SQLite
     * store, a write waiting for another process's database lock gives up after a sixth of the
     * lease (at least 1 s, at most 5 s) and fails saying the database stayed locked.
     */
    public Builder leaseDuration(Duration lease) {
      if (lease == null || lease.toMillis() < 10 || lease.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "lease duration must be between 10 ms and 1 day, got " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * For the default SQLite store: fsync every commit, so commits survive power loss as well as a
     * process crash. Default off.
     *
     * @throws IllegalArgumentException if {@code true} and a custom {@link #stateStore} was set: a
     *     custom store's durability is its own (for SQLite, {@code StateStores.sqlite(file, true)})
     */
    public Builder syncEveryCommit(boolean sync) {
      if (sync && stateStore != null) {
        throw conflict();
      }
      this.syncEveryCommit = sync;
      return this;
    }

    /**
     * The largest result a compute function or job may return, in bytes of JSON text (UTF-8);
     * default 16 MiB. A bigger result is not stored: the attempt ends ERROR with a message stating
     * the limit. Keep big data in files under {@code ctx.storage()} and return their names. Every
     * stored result can be read back whatever this limit, by any process.
     *
     * @param bytes 1 KiB to 512 MiB
     */
    public Builder maxResultSize(long bytes) {
      if (bytes < 1024 || bytes > Json.MAX_RESULT_BYTES_LIMIT) {
        throw new IllegalArgumentException(
            "max result size must be between 1 KiB (1024) and 512 MiB ("
                + Json.MAX_RESULT_BYTES_LIMIT
                + ") bytes, got "
                + bytes);
      }
      this.maxResultBytes = bytes;
      return this;
    }

    private static IllegalArgumentException conflict() {
      return new IllegalArgumentException(
          "syncEveryCommit(true) configures only the default SQLite store and cannot be combined"
              + " with stateStore(...): drop one, or pass StateStores.sqlite(file, true) as the"
              + " state store");
    }

    /**
     * Opens the home.
     *
     * @throws IllegalStateException if no home was set, or if this builder already opened a Cairn
     *     with a custom state or blob store (a store serves one open Cairn, which closes it)
     */
    public Cairn open() {
      if (home == null) {
        throw new IllegalStateException("home is required: call builder().home(path)");
      }
      if (customStoresUsed) {
        throw new IllegalStateException(
            "this builder already opened a Cairn with its stateStore(...)/blobStore(...), which"
                + " that Cairn owns and closes: give each Cairn its own store instances");
      }
      Path abs = home.toAbsolutePath().normalize();
      if (stateStore == null) {
        LostDatabaseGuard.check(abs, abs.resolve("cairn.db"));
      }
      try {
        Files.createDirectories(abs);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create home " + abs + ": " + e.getMessage(), e);
      }
      StateStore state = stateStore;
      BlobStore blobs = blobStore;
      try {
        if (state == null) {
          state =
              new JdbcStateStore(
                  new SqliteDialect(abs.resolve("cairn.db"), syncEveryCommit),
                  JdbcStateStore.busyWaitFor(lease));
        }
        if (blobs == null) {
          blobs = BlobStores.fileSystem(abs.resolve("blobs"));
        }
        Engine engine = new Engine(abs, state, blobs, clock, lease);
        engine.setLimits(maxResultBytes);
        engine.setExecutors(new ExecutorRegistry(executors));
        Cairn cairn = new Cairn(engine);
        customStoresUsed = stateStore != null || blobStore != null;
        return cairn;
      } catch (RuntimeException | Error e) {
        // Close only what this method made; stores passed in stay the caller's to close.
        if (state != null && state != stateStore) {
          closeAfterFailure(state::close, e);
        }
        if (blobs != null && blobs != blobStore) {
          closeAfterFailure(blobs::close, e);
        }
        throw e;
      }
    }

    private static void closeAfterFailure(Runnable close, Throwable failure) {
      try {
        close.run();
      } catch (RuntimeException | Error e) {
        failure.addSuppressed(e);
      }
    }
  }

  private record Handle(Cairn cairn, String name, String version) implements ResourceCollection {
    @Override
    public Resource fetch(String ident) {
      return cairn.fetch(name, ident);
    }

    @Override
    public Resource fetch(String ident, Map<String, ?> args) {
      return cairn.fetch(name, ident, args);
    }

    @Override
    public Resource fetch(String ident, Map<String, ?> args, boolean recompute) {
      return cairn.fetch(name, ident, args, recompute);
    }

    @Override
    public FetchAllResult fetchAll(
        Iterable<String> idents,
        Map<String, ?> args,
        int parallelism,
        FetchProgressListener listener) {
      return cairn.fetchAll(name, idents, args, parallelism, listener);
    }

    @Override
    public long submit(Iterable<String> idents, Map<String, ?> args) {
      return cairn.submit(name, idents, args);
    }

    @Override
    public Status status(String ident) {
      return cairn.status(name, ident);
    }

    @Override
    public Stats stats() {
      return cairn.stats(name);
    }
  }
}
