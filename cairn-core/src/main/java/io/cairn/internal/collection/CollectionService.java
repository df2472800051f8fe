package io.cairn.internal.collection;

import io.cairn.CairnException;
import io.cairn.Resource;
import io.cairn.ResourcePaths;
import io.cairn.Status;
import io.cairn.UnknownCollectionException;
import io.cairn.Why;
import io.cairn.collection.ComputeFunction;
import io.cairn.internal.engine.AttemptLog;
import io.cairn.internal.engine.AttemptRunner;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.engine.Leases;
import io.cairn.internal.engine.LogLocations;
import io.cairn.internal.engine.Names;
import io.cairn.internal.engine.QueueWorker;
import io.cairn.internal.engine.ResourceFileBlobs;
import io.cairn.internal.engine.ResourceLayout;
import io.cairn.internal.engine.ResourceLogger;
import io.cairn.internal.engine.WorkSpecs;
import io.cairn.internal.json.Json;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import io.cairn.spi.WorkSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collections on the engine: registration, fetch (compute once, cache forever), and the read side
 * (resource snapshots, why).
 *
 * <p>Exactly-once within this process comes from {@link #inFlight}: threads fetching the same
 * resource join the one computation. Across processes it comes from the lease claim, which only one
 * claimant wins; the others wait for the lease holder to finish.
 */
public final class CollectionService {
  private static final Logger log = LoggerFactory.getLogger(CollectionService.class);

  /** A registered collection. */
  public record Registered(String name, String version, ComputeFunction fn) {}

  record Id(String collection, String key) {}

  private final Engine engine;
  private final ResourceLayout layout;
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();
  private final Map<String, String> executors = new ConcurrentHashMap<>();
  private final Map<Id, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  public CollectionService(Engine engine) {
    this.engine = engine;
    this.layout = engine.layout();
  }

  Engine engine() {
    return engine;
  }

  Map<Id, CompletableFuture<Void>> inFlight() {
    return inFlight;
  }

  /** Fetches many resources of one collection with {@code parallelism} threads. */
  public io.cairn.collection.FetchAllResult fetchAll(
      String collection,
      Iterable<String> idents,
      Map<String, Object> args,
      int parallelism,
      io.cairn.collection.FetchProgressListener listener) {
    Registered reg = requireRegistered(collection);
    if (idents == null) {
      throw new IllegalArgumentException("idents must not be null");
    }
    return new BulkFetch(this, reg, idents, args, parallelism, listener).run();
  }

  /** Records the executor a collection names (checked by the caller); none means the default. */
  public void setExecutor(String collection, String executor) {
    executors.put(requireRegistered(collection).name(), executor);
  }

  /** The executor a collection named, if any. */
  public java.util.Optional<String> executor(String collection) {
    return java.util.Optional.ofNullable(executors.get(collection));
  }

  public Registered register(String name, String version, ComputeFunction fn) {
    Names.checkCollection(name);
    if (version == null) {
      throw new IllegalArgumentException("version must not be null; use \"\" for none");
    }
    if (fn == null) {
      throw new IllegalArgumentException("compute function of collection '" + name + "' is null");
    }
    Registered r = new Registered(name, version, fn);
    if (registered.putIfAbsent(name, r) != null) {
      throw new IllegalArgumentException(
          "collection '" + name + "' is already registered in this Cairn; register it once");
    }
    try {
      engine.store().registerCollection(name, version);
    } catch (RuntimeException e) {
      registered.remove(name, r);
      throw e;
    }
    return r;
  }

  /** Whether a collection with a compute function is registered here. */
  public boolean isRegistered(String name) {
    return name != null && registered.containsKey(name);
  }

  /** A collection registered in this process, or an error naming the known ones. */
  public Registered requireRegistered(String name) {
    Registered r = name == null ? null : registered.get(name);
    if (r == null) {
      Names.checkCollection(name);
      throw new UnknownCollectionException(name, knownNames());
    }
    return r;
  }

  /** A collection registered here or known to the store (written by another process). */
  public String requireKnown(String name) {
    Names.checkCollection(name);
    if (registered.containsKey(name) || engine.store().collectionVersion(name).isPresent()) {
      return name;
    }
    throw new UnknownCollectionException(name, knownNames());
  }

  public List<String> knownNames() {
    TreeSet<String> names = new TreeSet<>(registered.keySet());
    names.addAll(engine.store().collections());
    return new ArrayList<>(names);
  }

  public ResourcePaths paths(String collection, String key) {
    return layout.paths(collection, key);
  }

  // ---------------------------------------------------------------- fetch

  /** Canonical JSON of fetch arguments, refused clearly when they are not JSON values. */
  static String argsJson(Map<String, Object> args) {
    try {
      return Json.writeCanonical(args == null ? Map.of() : args);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("fetch arguments: " + e.getMessage(), e);
    }
  }

  public Resource fetch(String collection, String ident, Map<String, Object> args, boolean force) {
    return fetch(collection, ident, args, force, null);
  }

  /**
   * A fetch that tells whether this call ran the compute function ({@code computed} set to true),
   * for callers that count.
   */
  Resource fetch(
      String collection,
      String ident,
      Map<String, Object> args,
      boolean force,
      java.util.concurrent.atomic.AtomicBoolean computed) {
    Registered reg = requireRegistered(collection);
    Names.checkKey(ident);
    Map<String, Object> safeArgs = args == null ? Map.of() : Map.copyOf(args);
    // Most loops fetch with no arguments, or the same ones: skip the writer and the SHA-256 then.
    String argsJson = safeArgs.isEmpty() ? "{}" : argsJson(safeArgs);
    String fingerprint = fingerprintOf(argsJson, reg.version());
    Id id = new Id(collection, ident);
    while (true) {
      if (!force) {
        Optional<StoredResource> cur = engine.store().get(collection, ident);
        if (cur.isPresent() && isFinal(cur.get(), fingerprint)) {
          return toResource(cur.get());
        }
      }
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> other = inFlight.putIfAbsent(id, mine);
      if (other != null) {
        other.join(); // never completes exceptionally
        force = false;
        continue;
      }
      try {
        ChangeResult claim =
            engine
                .committer()
                .apply(
                    new Changes.Claim(
                        collection,
                        ident,
                        engine.owner(),
                        engine.now(),
                        engine.now() + engine.lease().toMillis(),
                        argsJson,
                        force ? null : fingerprint,
                        force));
        switch (claim.outcome()) {
          case APPLIED:
            if (computed != null) {
              computed.set(true);
            }
            return compute(reg, claim.record(), safeArgs, fingerprint);
          case BUSY:
            waitWhileLeased(collection, ident);
            force = false;
            continue;
          default:
            return toResource(claim.record());
        }
      } finally {
        inFlight.remove(id, mine);
        mine.complete(null);
      }
    }
  }

  private record FingerprintMemo(String argsJson, String version, String fingerprint) {}

  private volatile FingerprintMemo lastFingerprint = new FingerprintMemo("", "", "");

  /** {@link Engine#fingerprint}, remembering the last one. */
  private String fingerprintOf(String argsJson, String version) {
    FingerprintMemo m = lastFingerprint;
    if (m.argsJson.equals(argsJson) && m.version.equals(version)) {
      return m.fingerprint;
    }
    String fp = Engine.fingerprint(argsJson, version);
    lastFingerprint = new FingerprintMemo(argsJson, version, fp);
    return fp;
  }

  /** COMPLETED and up to date, or ABORTED: a fetch returns it without computing. */
  static boolean isFinal(StoredResource r, String fingerprint) {
    return (r.status() == Status.COMPLETED && fingerprint.equals(r.fingerprint()))
        || r.status() == Status.ABORTED;
  }

  /**
   * Runs the function for a claimed resource and stores the outcome, holding the claim's lease from
   * now until the outcome has committed.
   *
   * @return the stored resource after the outcome was written
   */
  Resource compute(
      Registered reg, StoredResource claimed, Map<String, Object> args, String fingerprint) {
    LeaseKeeper.Held lease =
        engine.leases().hold(claimed.collection(), claimed.key(), claimed.attempts());
    try {
      StateChange outcome = run(reg, claimed, args, fingerprint, lease);
      if (outcome == null) {
        // The owner that took it over may still be computing it (on a server database its
        // outcome takes a few round trips): the fetch's answer is that owner's outcome.
        waitWhileLeased(claimed.collection(), claimed.key());
        return toResource(engine.store().get(claimed.collection(), claimed.key()).orElse(claimed));
      }
      lease.finishing();
      ChangeResult written = engine.committer().apply(outcome);
      return toResource(afterWrite(claimed, written));
    } finally {
      engine.leases().release(lease);
    }
  }

  /**
   * Runs the function of a claimed resource whose lease the caller holds (and releases after the
   * outcome commits), through the engine's attempt runner. A lost lease interrupts the function's
   * thread.
   *
   * @return the change that records the outcome, or {@code null} when the lease was lost: another
   *     owner has the resource now, and this attempt writes nothing
   */
  StateChange run(
      Registered reg,
      StoredResource claimed,
      Map<String, Object> args,
      String fingerprint,
      LeaseKeeper.Held lease) {
    try {
      return attempt(reg, claimed, args, fingerprint, lease);
    } catch (InterruptedException e) {
      // The caller's thread was interrupted while computing: recorded as a failure, as any other
      // exception of the function, and the interrupt is kept for the caller to see.
      Thread.currentThread().interrupt();
      return new Changes.Fail(
          claimed.collection(),
          claimed.key(),
          engine.owner(),
          claimed.attempts(),
          AttemptRunner.stackTrace(e),
          claimed.startedAt(),
          engine.now(),
          false);
    }
  }

  /**
   * {@link #run}, but an interrupt (a worker stopping) goes up instead of being recorded, so the
   * worker gives the resource back to the queue rather than failing it.
   */
  private StateChange attempt(
      Registered reg,
      StoredResource claimed,
      Map<String, Object> args,
      String fingerprint,
      LeaseKeeper.Held lease)
      throws InterruptedException {
    String c = claimed.collection();
    String key = claimed.key();
    ResourcePaths paths = layout.paths(c, key);
    ResourceLogger logger =
        new ResourceLogger(
            c + "/" + key,
            AttemptLog.of(engine, LogLocations.ofResource(c, key), paths.log(), claimed.attempts()),
            engine.clock());
    DefaultComputeContext ctx =
        new DefaultComputeContext(c, key, args, claimed.attempts(), paths, logger);
    return engine
        .attempts()
        .run(
            claimed,
            lease,
            fingerprint,
            false,
            logger,
            new AttemptRunner.Body() {
              @Override
              public Object run() throws Exception {
                return AttemptRunner.call(
                    executor(c).map(engine.executors()::get).orElse(null),
                    new WorkSpec.Call(
                        "collection:" + c,
                        claimed.argsJson() == null ? "{}" : claimed.argsJson(),
                        WorkSpec.Needs.NONE),
                    c + "/" + key,
                    engine.blobs(),
                    () -> reg.fn().compute(key, args, ctx));
              }

              @Override
              public void publish() throws IOException {
                // A local blob store costs one type check here; elsewhere only a function that
                // made its storage directory has files to copy.
                if (ResourceFileBlobs.publishesTo(engine.blobs()) && ctx.storageUsed()) {
                  ResourceFileBlobs.publish(engine.blobs(), c, key, paths.storage());
                }
              }
            });
  }

  /**
   * What a worker runs for a resource of a registered collection that was submitted to the queue:
   * the collection's function with the stored arguments, recorded with this code's version.
   */
  public QueueWorker.Job queueJob(String collection) {
    Registered reg = requireRegistered(collection);
    return new QueueWorker.Job() {
      @Override
      public String name() {
        return reg.name();
      }

      @Override
      public String version() {
        return reg.version();
      }

      @Override
      public StateChange run(StoredResource claimed, LeaseKeeper.Held lease)
          throws InterruptedException {
        String args = claimed.argsJson() == null ? "{}" : claimed.argsJson();
        return attempt(
            reg, claimed, Json.readMap(args), Engine.fingerprint(args, reg.version()), lease);
      }
    };
  }

  /**
   * Queues resources for workers ({@code cairn worker}, {@code Cairn.work}) in batches: each
   * becomes QUEUED carrying its work (this collection's function, by name, with {@code args}),
   * unless it is up to date, aborted, or being computed under a live lease.
   *
   * @return how many were queued by this call
   */
  public long submit(String collection, Iterable<String> idents, Map<String, Object> args) {
    Registered reg = requireRegistered(collection);
    if (idents == null) {
      throw new IllegalArgumentException("idents must not be null");
    }
    String argsJson = argsJson(args);
    String fingerprint = Engine.fingerprint(argsJson, reg.version());
    String work =
        WorkSpecs.write(
            new WorkSpec.Call("collection:" + collection, argsJson, WorkSpec.Needs.NONE));
    long queued = 0;
    List<StateChange> batch = new ArrayList<>();
    java.util.Iterator<String> it = idents.iterator();
    while (it.hasNext() || !batch.isEmpty()) {
      if (it.hasNext()) {
        String ident = it.next();
        Names.checkKey(ident);
        batch.add(
            new Changes.Enqueue(collection, ident, work, argsJson, fingerprint, engine.now()));
        if (batch.size() < 2_048 && it.hasNext()) {
          continue;
        }
      }
      for (ChangeResult r : engine.committer().apply(batch)) {
        if (r.applied()) {
          queued++;
        }
      }
      batch.clear();
    }
    return queued;
  }

  /** The names of the collections registered in this process. */
  public List<String> registeredNames() {
    return new ArrayList<>(registered.keySet());
  }

  /** The stored record after writing an outcome; on a lost lease, whatever is stored now. */
  StoredResource afterWrite(StoredResource claimed, ChangeResult written) {
    if (written.outcome() == ChangeResult.Outcome.REFUSED) {
      log.warn(
          "result of {}/{} not stored: {}", claimed.collection(), claimed.key(), written.message());
      waitWhileLeased(claimed.collection(), claimed.key());
      return engine.store().get(claimed.collection(), claimed.key()).orElse(claimed);
    }
    return written.record();
  }

  /** Polls until nobody holds a live lease on the resource (its holder is another process). */
  private void waitWhileLeased(String collection, String ident) {
    long backoff = 2;
    while (true) {
      Optional<StoredResource> cur = engine.store().get(collection, ident);
      if (cur.isEmpty() || !Leases.live(cur.get(), engine.now())) {
        return;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CairnException(
            "interrupted while waiting for " + collection + "/" + ident + " to be computed", e);
      }
      backoff = Math.min(backoff * 2, 250);
    }
  }

  // ---------------------------------------------------------------- read side

  public Resource toResource(StoredResource r) {
    return layout.toResource(r);
  }

  /** The resource as stored, or an UNAVAILABLE snapshot. */
  public Resource resource(String collection, String ident) {
    requireKnown(collection);
    Names.checkKey(ident);
    return engine
        .store()
        .get(collection, ident)
        .map(this::toResource)
        .orElseGet(
            () ->
                new Resource(
                    collection,
                    ident,
                    Status.UNAVAILABLE,
                    0,
                    Map.of(),
                    null,
                    null,
                    0,
                    0,
                    0,
                    null,
                    layout.paths(collection, ident)));
  }

  /**
   * The resource's log text, "" when it has none: the one place a log is looked up, for {@code
   * Cairn.log} and the read-only client alike.
   */
  public String log(String collection, String ident) {
    return io.cairn.internal.engine.LogReader.read(
        engine.blobs(), collection, ident, resource(collection, ident).paths().log());
  }

  public Why why(String collection, String ident, Map<String, Object> args) {
    requireKnown(collection);
    Names.checkKey(ident);
    Optional<StoredResource> found = engine.store().get(collection, ident);
    if (found.isEmpty()) {
      return new Why(Why.Reason.NEVER_COMPUTED, "never computed: the next fetch computes it");
    }
    StoredResource r = found.get();
    long now = engine.now();
    switch (r.status()) {
      case QUEUED:
        return new Why(Why.Reason.QUEUED, "queued, not computed yet: the next fetch computes it");
      case RUNNING:
        if (Leases.live(r, now)) {
          return new Why(
              Why.Reason.RUNNING,
              "being computed by " + r.owner() + ": a fetch waits for it instead of computing");
        }
        return new Why(
            Why.Reason.INTERRUPTED,
            "its computation by "
                + r.owner()
                + " stopped without finishing (its process is gone or its lease expired):"
                + " the next fetch computes it again");
      case ERROR:
        return new Why(
            Why.Reason.ERROR,
            "the last attempt failed ("
                + firstLine(r.error())
                + "): the next"
                + " fetch retries it");
      case ABORTED:
        return new Why(
            Why.Reason.ABORTED,
            "aborted: a fetch returns it as is; reset it or fetch with recompute");
      default:
        break;
    }
    String version = versionOf(collection);
    String asked = args == null ? orEmptyObject(r.argsJson()) : argsJson(args);
    if (Engine.fingerprint(asked, version).equals(r.fingerprint())) {
      return new Why(Why.Reason.UP_TO_DATE, "up to date: a fetch returns the stored result");
    }
    if (Engine.fingerprint(orEmptyObject(r.argsJson()), version).equals(r.fingerprint())) {
      return new Why(
          Why.Reason.ARGS_CHANGED,
          "arguments changed (stored "
              + orEmptyObject(r.argsJson())
              + ", asked "
              + asked
              + "): the next fetch recomputes it");
    }
    return new Why(
        Why.Reason.VERSION_CHANGED,
        "the collection's version changed (now '" + version + "'): the next fetch recomputes it");
  }

  private String versionOf(String collection) {
    Registered reg = registered.get(collection);
    if (reg != null) {
      return reg.version();
    }
    return engine.store().collectionVersion(collection).orElse("");
  }

  private static String orEmptyObject(String json) {
    return json == null ? "{}" : json;
  }

  private static String firstLine(String text) {
    if (text == null || text.isEmpty()) {
      return "no message";
    }
    int nl = text.indexOf('\n');
    String line = (nl < 0 ? text : text.substring(0, nl)).strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
