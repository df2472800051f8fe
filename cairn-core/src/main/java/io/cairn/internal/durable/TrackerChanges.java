package io.cairn.internal.durable;

import io.cairn.Status;
import io.cairn.durable.DuplicateKeyException;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Leases;
import io.cairn.internal.json.Json;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * A progress tracker's changes to its entries, which are resources: done is COMPLETED, aborted is
 * ABORTED, tries are attempts, a try in progress is RUNNING under the worker's lease, a try that
 * ended without being marked done is ERROR, and the entry's data is the resource's result.
 */
final class TrackerChanges {
  static final String NO_SUCH_KEY = "no such key";
  static final String NOT_DONE_BY_LOOP = "tried, not marked done by its tryKeys loop";

  private TrackerChanges() {}

  private static StoredResource with(
      StoredResource r,
      Status status,
      int attempts,
      String data,
      String owner,
      long leaseUntil,
      long startedAt,
      long endedAt,
      String error) {
    return new StoredResource(
        r.collection(),
        r.key(),
        status,
        attempts,
        r.argsJson(),
        data,
        error,
        r.fingerprint(),
        r.queuedAt(),
        startedAt,
        endedAt,
        owner,
        leaseUntil);
  }

  private static StoredResource withStatus(StoredResource r, Status status) {
    return with(
        r, status, r.attempts(), r.resultJson(), null, 0, r.startedAt(), r.endedAt(), r.error());
  }

  /**
   * Adds a key: QUEUED with no tries. An existing key: UNCHANGED when {@code ifAbsent}, else a
   * {@link DuplicateKeyException} that rolls the whole batch back (so addAll is all or none).
   */
  record Add(String collection, String key, String dataJson, long now, boolean ifAbsent)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur != null) {
        if (ifAbsent) {
          return ChangeResult.unchanged(cur);
        }
        throw new DuplicateKeyException(collection, key);
      }
      return ChangeResult.write(
          new StoredResource(
              collection, key, Status.QUEUED, 0, null, dataJson, null, null, now, 0, 0, null, 0));
    }
  }

  /** Claims a key for one try: not done, not aborted, under maxTries, not leased by another. */
  record TryClaim(
      String collection, String key, String owner, long now, long leaseUntil, int maxTries)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.refused(null, NO_SUCH_KEY);
      }
      if (Leases.live(cur, now)) {
        return ChangeResult.busy(cur);
      }
      if (cur.status() == Status.COMPLETED || cur.status() == Status.ABORTED) {
        return ChangeResult.refused(cur, cur.status().label());
      }
      if (maxTries > 0 && cur.attempts() >= maxTries) {
        return ChangeResult.refused(cur, "max tries");
      }
      return ChangeResult.write(
          with(
              cur,
              Status.RUNNING,
              cur.attempts() + 1,
              cur.resultJson(),
              owner,
              leaseUntil,
              now,
              0,
              cur.error()));
    }
  }

  /**
   * Ends a try the loop did not mark done: ERROR, or ABORTED once maxTries is reached. A key the
   * loop already resolved (done, aborted, ...) or that someone took over is left alone.
   */
  record FinishTry(String collection, String key, String owner, int attempt, long now, int maxTries)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (Changes.lostLease(cur, owner, attempt) != null) {
        return ChangeResult.unchanged(cur);
      }
      Status next = maxTries > 0 && cur.attempts() >= maxTries ? Status.ABORTED : Status.ERROR;
      return ChangeResult.write(
          with(
              cur,
              next,
              cur.attempts(),
              cur.resultJson(),
              null,
              0,
              cur.startedAt(),
              now,
              NOT_DONE_BY_LOOP));
    }
  }

  /** Gives back a key claimed but never handed out: its status and tries as before the claim. */
  record Unclaim(
      String collection, String key, String owner, int attempt, Status before, int attemptsBefore)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (Changes.lostLease(cur, owner, attempt) != null) {
        return ChangeResult.unchanged(cur);
      }
      Status back = before == Status.ERROR ? Status.ERROR : Status.QUEUED;
      return ChangeResult.write(
          with(
              cur,
              back,
              attemptsBefore,
              cur.resultJson(),
              null,
              0,
              cur.startedAt(),
              cur.endedAt(),
              cur.error()));
    }
  }

  /** Marks a key done (COMPLETED), from any status. */
  record MarkDone(String collection, String key, long now) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.refused(null, NO_SUCH_KEY);
      }
      if (cur.status() == Status.COMPLETED) {
        return ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(
          with(
              cur,
              Status.COMPLETED,
              cur.attempts(),
              cur.resultJson(),
              null,
              0,
              cur.startedAt(),
              now,
              null));
    }
  }

  /** Moves a key between statuses: from one of {@code from} to {@code to}; others unchanged. */
  record Move(String collection, String key, java.util.Set<Status> from, Status to, String refuseIf)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.refused(null, NO_SUCH_KEY);
      }
      if (refuseIf != null && cur.status().name().equals(refuseIf)) {
        return ChangeResult.refused(cur, cur.status().label());
      }
      if (!from.contains(cur.status())) {
        return ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(withStatus(cur, to));
    }
  }

  /** Changes a key's tries (never below 0), keeping its status. */
  record Tries(String collection, String key, IntUnaryOperator fn) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.refused(null, NO_SUCH_KEY);
      }
      int next = Math.max(0, fn.applyAsInt(cur.attempts()));
      if (next == cur.attempts()) {
        return ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(
          with(
              cur,
              cur.status(),
              next,
              cur.resultJson(),
              cur.owner(),
              cur.leaseUntil(),
              cur.startedAt(),
              cur.endedAt(),
              cur.error()));
    }
  }

  /**
   * Merges entries into a key's data map; a missing key is added first (QUEUED, no tries), as
   * tastypy's {@code update} does.
   */
  record UpdateData(String collection, String key, Map<String, Object> patch, long now)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.write(
            new StoredResource(
                collection,
                key,
                Status.QUEUED,
                0,
                null,
                Json.write(patch),
                null,
                null,
                now,
                0,
                0,
                null,
                0));
      }
      Map<String, Object> data = new LinkedHashMap<>(Json.readMap(cur.resultJson()));
      data.putAll(patch);
      return ChangeResult.write(
          with(
              cur,
              cur.status(),
              cur.attempts(),
              Json.write(data),
              cur.owner(),
              cur.leaseUntil(),
              cur.startedAt(),
              cur.endedAt(),
              cur.error()));
    }
  }
}
