package io.cairn.internal.durable;

import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.durable.ProgressTracker;
import io.cairn.durable.TrackerOptions;
import io.cairn.durable.TryKeys;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.Names;
import io.cairn.internal.json.Json;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A progress tracker over the engine: its entries are resources of the collection named after it
 * (see {@link TrackerChanges} for the mapping).
 *
 * <p>Write-behind: adds, and done marks and data updates of a key handed out by one of this
 * tracker's open {@link TryKeysIterator}s, go to {@link TrackerPending} and are committed in the
 * same transaction as the next batch of claims, or by the {@link DurableSyncer} within a second
 * (sooner when many are pending), on {@link #sync()}, on close and at shutdown. Every other call
 * first commits what is pending, so reads see this process's own writes. Adds are answered from
 * {@link KnownKeys} and reach the store as idempotent inserts, so a flush never fails on a key
 * another process added meanwhile; an iterator commits pending adds before it lists keys, so no key
 * is handed out before it is stored. {@code durable(true)} commits adds before they return.
 */
final class Tracker implements ProgressTracker, Syncable {
  static final Set<Status> TODO = EnumSet.of(Status.QUEUED, Status.RUNNING, Status.ERROR);
  static final long SYNC_EVERY_NANOS = 1_000_000_000L;

  final String name;
  final Engine engine;
  final TrackerOptions options;

  /** Keys handed out by an open iterator and not resolved yet (done, aborted, ...). */
  final Set<String> handedOut = ConcurrentHashMap.newKeySet();

  private final Set<TryKeysIterator> open = ConcurrentHashMap.newKeySet();
  private final TrackerPending pending;
  private final KnownKeys known;

  Tracker(String name, Engine engine, DurableSyncer syncer, TrackerOptions options) {
    this.name = name;
    this.engine = engine;
    this.options = options;
    this.pending = new TrackerPending(engine.committer(), syncer);
    this.known = new KnownKeys(engine.store(), name, SYNC_EVERY_NANOS);
  }

  // ---------------------------------------------------------------- pending writes

  void enqueue(StateChange change) {
    pending.enqueue(change);
  }

  boolean addsPending() {
    return pending.addsPending();
  }

  List<ChangeResult> commitPendingWith(List<? extends StateChange> more) {
    return pending.commitPendingWith(more);
  }

  /** Commits what is pending; what every read does first, so it sees this process's writes. */
  void flush() {
    pending.flush();
  }

  @Override
  public void sync() {
    flush();
    known.markStale(); // an explicit sync also catches up with other processes' adds
  }

  @Override
  public long syncIfDue(long nowNanos) {
    return pending.syncIfDue(nowNanos);
  }

  // ---------------------------------------------------------------- writes

  private ChangeResult applyNow(StateChange change) {
    flush();
    return engine.committer().apply(change);
  }

  private ChangeResult applyExisting(StateChange change) {
    ChangeResult r = applyNow(change);
    if (r.outcome() == ChangeResult.Outcome.REFUSED
        && TrackerChanges.NO_SUCH_KEY.equals(r.message())) {
      throw new NoSuchElementException("tracker '" + name + "' has no key '" + change.key() + "'");
    }
    return r;
  }

  static String checkKey(String key) {
    try {
      return Names.checkKey(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("ident", "key"), e);
    }
  }

  private String dataJson(Map<String, ?> data) {
    if (data == null) {
      return null;
    }
    try {
      return Json.write(data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tracker '" + name + "' data: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int maxTries() {
    return options.maxTries();
  }

  @Override
  public void add(String key) {
    add(key, null);
  }

  @Override
  public void add(String key, Map<String, ?> data) {
    checkKey(key);
    String json = dataJson(data);
    if (options.durable()) {
      applyNow(new TrackerChanges.Add(name, key, json, engine.now(), false));
      known.noteAdded(key);
      return;
    }
    if (!known.add(key)) {
      throw new io.cairn.durable.DuplicateKeyException(name, key);
    }
    pending.enqueueAdds(List.of(new TrackerChanges.Add(name, key, json, engine.now(), true)));
  }

  @Override
  public boolean addIfAbsent(String key) {
    return addIfAbsent(key, null);
  }

  @Override
  public boolean addIfAbsent(String key, Map<String, ?> data) {
    checkKey(key);
    String json = dataJson(data);
    if (options.durable()) {
      boolean added =
          applyNow(new TrackerChanges.Add(name, key, json, engine.now(), true)).applied();
      known.noteAdded(key);
      return added;
    }
    if (!known.add(key)) {
      return false;
    }
    pending.enqueueAdds(List.of(new TrackerChanges.Add(name, key, json, engine.now(), true)));
    return true;
  }

  @Override
  public void addAll(Iterable<String> keys) {
    addMany(keys, false);
  }

  @Override
  public long addAllIfAbsent(Iterable<String> keys) {
    return addMany(keys, true);
  }

  private long addMany(Iterable<String> keys, boolean ifAbsent) {
    if (keys == null) {
      throw new IllegalArgumentException("keys must not be null; pass an empty list to add none");
    }
    List<String> checked = new ArrayList<>();
    for (String key : keys) {
      checked.add(checkKey(key));
    }
    long now = engine.now();
    if (options.durable()) {
      List<StateChange> adds = new ArrayList<>(checked.size());
      for (String key : checked) {
        adds.add(new TrackerChanges.Add(name, key, null, now, ifAbsent));
      }
      flush();
      long added = 0;
      for (ChangeResult r : engine.committer().apply(adds)) {
        added += r.applied() ? 1 : 0;
      }
      checked.forEach(known::noteAdded);
      return added;
    }
    List<StateChange> adds = new ArrayList<>(checked.size());
    for (String key : checked) {
      if (known.add(key)) {
        adds.add(new TrackerChanges.Add(name, key, null, now, true));
      } else if (!ifAbsent) {
        // All or none: forget the keys this call claimed before refusing.
        for (StateChange a : adds) {
          known.remove(a.key());
        }
        throw new io.cairn.durable.DuplicateKeyException(name, key);
      }
    }
    pending.enqueueAdds(adds);
    return adds.size();
  }

  @Override
  public void update(String key, Map<String, ?> data) {
    checkKey(key);
    if (data == null) {
      throw new IllegalArgumentException("update data must not be null");
    }
    // Converted now, so what cannot be stored is refused here, not at the flush.
    Map<String, Object> patch = Json.readMap(dataJson(data));
    StateChange change = new TrackerChanges.UpdateData(name, key, patch, engine.now());
    if (handedOut.contains(key) && !options.durable()) {
      enqueue(change);
    } else {
      applyNow(change); // a missing key is added, then updated
      known.noteAdded(key);
    }
  }

  @Override
  public void markDone(String key) {
    checkKey(key);
    StateChange change = new TrackerChanges.MarkDone(name, key, engine.now());
    if (handedOut.remove(key) && !options.durable()) {
      enqueue(change);
    } else {
      applyExisting(change);
    }
  }

  @Override
  public void markNotDone(String key) {
    handedOut.remove(checkKey(key));
    applyExisting(
        new TrackerChanges.Move(name, key, EnumSet.of(Status.COMPLETED), Status.QUEUED, null));
  }

  @Override
  public void abort(String key) {
    checkKey(key);
    ChangeResult r =
        applyExisting(
            new TrackerChanges.Move(
                name,
                key,
                EnumSet.of(Status.QUEUED, Status.RUNNING, Status.ERROR),
                Status.ABORTED,
                Status.COMPLETED.name()));
    if (r.outcome() == ChangeResult.Outcome.REFUSED) {
      throw new IllegalStateException(
          "tracker '" + name + "': key '" + key + "' is done; markNotDone it before aborting");
    }
    handedOut.remove(key);
  }

  @Override
  public void unabort(String key) {
    applyExisting(
        new TrackerChanges.Move(
            name, checkKey(key), EnumSet.of(Status.ABORTED), Status.QUEUED, null));
  }

  @Override
  public int incrementTries(String key) {
    return applyExisting(new TrackerChanges.Tries(name, checkKey(key), n -> n + 1))
        .record()
        .attempts();
  }

  @Override
  public int decrementTries(String key) {
    return applyExisting(new TrackerChanges.Tries(name, checkKey(key), n -> n - 1))
        .record()
        .attempts();
  }

  @Override
  public void resetTries(String key) {
    applyExisting(new TrackerChanges.Tries(name, checkKey(key), n -> 0));
  }

  // ---------------------------------------------------------------- reads

  private StoredResource record(String key) {
    checkKey(key);
    flush();
    return engine.store().get(name, key).orElse(null);
  }

  @Override
  public Map<String, Object> data(String key) {
    StoredResource r = record(key);
    return r == null ? Map.of() : Json.readMap(r.resultJson());
  }

  @Override
  public boolean contains(String key) {
    return record(key) != null;
  }

  @Override
  public Status status(String key) {
    StoredResource r = record(key);
    return r == null ? Status.UNAVAILABLE : r.status();
  }

  @Override
  public int tries(String key) {
    StoredResource r = record(key);
    if (r == null) {
      throw new NoSuchElementException("tracker '" + name + "' has no key '" + key + "'");
    }
    return r.attempts();
  }

  @Override
  public boolean isDone(String key) {
    return status(key) == Status.COMPLETED;
  }

  @Override
  public boolean isAborted(String key) {
    return status(key) == Status.ABORTED;
  }

  @Override
  public boolean shouldDo(String key) {
    StoredResource r = record(key);
    return r != null && isTodo(r);
  }

  @Override
  public boolean shouldTry(String key) {
    return shouldDo(key);
  }

  /** Not done, not aborted, tried fewer than maxTries times: what tastypy's should_do says. */
  private boolean isTodo(StoredResource r) {
    return TODO.contains(r.status())
        && (options.maxTries() == 0 || r.attempts() < options.maxTries());
  }

  @Override
  public TryKeys tryKeys() {
    TryKeysIterator it = new TryKeysIterator(this);
    open.add(it);
    return it;
  }

  void closed(TryKeysIterator it) {
    open.remove(it);
  }

  @Override
  public List<String> todoKeys() {
    if (options.maxTries() == 0) {
      return keys(TODO);
    }
    // The listing is by status; tries are read per page to leave out keys at maxTries.
    flush();
    List<String> keys = new ArrayList<>();
    String cursor = null;
    do {
      Page<String> page = engine.store().keys(name, TODO, cursor, 10_000);
      Map<String, StoredResource> records = engine.store().getAll(name, page.items());
      for (String k : page.items()) {
        StoredResource r = records.get(k);
        if (r != null && isTodo(r)) {
          keys.add(k);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return keys;
  }

  @Override
  public List<String> abortedKeys() {
    return keys(EnumSet.of(Status.ABORTED));
  }

  private List<String> keys(Set<Status> statuses) {
    flush();
    List<String> keys = new ArrayList<>();
    String cursor = null;
    do {
      Page<String> page = engine.store().keys(name, statuses, cursor, 10_000);
      keys.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return keys;
  }

  private Stats stats() {
    flush();
    return engine.store().stats(name);
  }

  @Override
  public long numDone() {
    return stats().count(Status.COMPLETED);
  }

  @Override
  public long numTried() {
    return stats().attempted();
  }

  @Override
  public long numAborted() {
    return stats().count(Status.ABORTED);
  }

  @Override
  public long size() {
    return stats().total();
  }

  @Override
  public double fractionDone() {
    Stats s = stats();
    return s.total() == 0 ? 0 : (double) s.count(Status.COMPLETED) / s.total();
  }

  @Override
  public String percentDone(int decimals) {
    if (decimals < 0 || decimals > 10) {
      throw new IllegalArgumentException("decimals must be 0 to 10, got " + decimals);
    }
    return String.format(java.util.Locale.ROOT, "%." + decimals + "f %%", 100 * fractionDone());
  }

  @Override
  public void close() {
    for (TryKeysIterator it : List.copyOf(open)) {
      it.close();
    }
    sync();
  }

  @Override
  public String toString() {
    return "ProgressTracker["
        + name
        + (options.maxTries() > 0 ? ", maxTries " + options.maxTries() : "")
        + "]";
  }
}
