package io.cairn.internal.engine;

import io.cairn.internal.json.Json;
import io.cairn.spi.BlobStore;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.MapChange;
import io.cairn.spi.MapResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StoredResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;

/**
 * The engine of one open Cairn: its stores, its group committer, its lease keeper, its clock and
 * its owner id. Faces are built on this; users never see it.
 */
public final class Engine implements AutoCloseable {
  private final Path home;
  private final StateStore store;
  private final BlobStore blobs;
  private final InstantSource clock;
  private final Duration lease;
  private final String owner;
  private final GroupCommitter<StateChange, ChangeResult> committer;
  private final CommitTimes commitTimes = new CommitTimes();
  private final GroupCommitter<MapChange, MapResult> mapCommitter;
  private final LeaseKeeper leases;
  private final AttemptRunner attempts = new AttemptRunner(this);
  private final ResourceLayout layout;
  private final WorkLoops loops = new WorkLoops();
  private volatile long maxResultBytes = Json.DEFAULT_MAX_RESULT_BYTES;

  private io.cairn.internal.exec.ExecutorRegistry executors; // guarded by this
  private volatile boolean viewOnly;

  public Engine(Path home, StateStore store, BlobStore blobs, InstantSource clock, Duration lease) {
    this.home = home;
    this.layout = new ResourceLayout(home);
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.lease = lease;
    this.owner = OwnerIds.newOwnerId();
    this.committer = new GroupCommitter<>("cairn-commit", commitTimes.timing(store::apply));
    this.mapCommitter = new GroupCommitter<>("cairn-map-commit", store::applyMap);
    this.leases = new LeaseKeeper(store::apply, clock, owner, lease);
  }

  public Path home() {
    return home;
  }

  /** How long this engine's group commits of resource changes took. */
  public CommitTimes commitTimes() {
    return commitTimes;
  }

  public StateStore store() {
    return store;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public InstantSource clock() {
    return clock;
  }

  public long now() {
    return clock.millis();
  }

  public Duration lease() {
    return lease;
  }

  /**
   * This engine's identity as a lease holder: host, pid, process start and instance (see {@link
   * OwnerIds}).
   */
  public String owner() {
    return owner;
  }

  /** Group commit of resource changes. */
  public GroupCommitter<StateChange, ChangeResult> committer() {
    return committer;
  }

  /** Group commit of durable-map changes. */
  public GroupCommitter<MapChange, MapResult> mapCommitter() {
    return mapCommitter;
  }

  /**
   * Gives back a resource this engine claimed and will not run (the run or worker is stopping):
   * QUEUED again, its try not spent, so anyone may take it at once. Never throws: if the write
   * fails, the lease expires instead.
   */
  public void giveBack(StoredResource claimed) {
    try {
      committer.apply(
          new Changes.Release(
              claimed.collection(), claimed.key(), owner, claimed.attempts(), now()));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Engine.class)
          .warn(
              "could not give back {}/{}; its lease expires instead: {}",
              claimed.collection(),
              claimed.key(),
              e.toString());
    }
  }

  /** The threads of work loops (fetchAll, pipeline runs, workers). */
  public WorkLoops loops() {
    return loops;
  }

  /** Where resources' local files live, and their snapshots. */
  public ResourceLayout layout() {
    return layout;
  }

  /** Runs attempts of claimed resources, for every face. */
  public AttemptRunner attempts() {
    return attempts;
  }

  public LeaseKeeper leases() {
    return leases;
  }

  /** The largest result, in bytes of JSON, a computation may store (see {@link #setLimits}). */
  public long maxResultBytes() {
    return maxResultBytes;
  }

  /**
   * Sets the largest result a computation may store; called once, by the builder, before any face
   * uses the engine.
   */
  /**
   * Marks the engine of a read-only client: it runs nothing, so a pipeline's executor names are not
   * checked (the executors a pipeline file declares exist only where work runs).
   */
  public void markViewOnly() {
    viewOnly = true;
  }

  public boolean viewOnly() {
    return viewOnly;
  }

  /** The executors work can run on; set once by the Cairn that owns (and closes) them. */
  public synchronized void setExecutors(io.cairn.internal.exec.ExecutorRegistry executors) {
    this.executors = executors;
  }

  /** The executors; an engine made without a Cairn (tests) gets the built-in ones on first use. */
  public synchronized io.cairn.internal.exec.ExecutorRegistry executors() {
    if (executors == null) {
      executors = new io.cairn.internal.exec.ExecutorRegistry(java.util.Map.of());
    }
    return executors;
  }

  public void setLimits(long maxResultBytes) {
    this.maxResultBytes = maxResultBytes;
  }

  /** A stable fingerprint of canonical arguments and a collection version (32 hex chars). */
  public static String fingerprint(String canonicalArgsJson, String version) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(canonicalArgsJson.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(version.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Stops the lease keeper and the commit threads, then closes the stores: every step runs even if
   * an earlier one fails, and the first failure is rethrown afterwards.
   */
  @Override
  public void close() {
    CloseAll.run(loops, leases, committer, mapCommitter, store, blobs);
  }
}
