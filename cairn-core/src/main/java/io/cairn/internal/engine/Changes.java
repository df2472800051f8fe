package io.cairn.internal.engine;

import io.cairn.Status;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.Objects;

/**
 * The engine's changes to resources. Each is a pure decision from the current record; stores apply
 * them inside their write transaction (see {@link StateChange}).
 *
 * <p>The lease protocol lives here: a {@link Claim} succeeds only when nobody else holds a live
 * lease, and {@link Complete}, {@link Fail} and {@link Renew} succeed only for the current lease
 * holder. So a worker whose lease expired and was taken over can never overwrite the new holder's
 * work.
 */
public final class Changes {
  private Changes() {}

  /**
   * Claims a resource for computation: {@code -> RUNNING, owner, leaseUntil, attempts + 1}.
   *
   * @param upToDateFingerprint when not null and the resource is COMPLETED with this fingerprint,
   *     nothing is claimed (UNCHANGED): someone computed it meanwhile
   * @param claimAborted whether an ABORTED resource may be claimed (an explicit recompute)
   */
  public record Claim(
      String collection,
      String key,
      String owner,
      long now,
      long leaseUntil,
      String argsJson,
      String upToDateFingerprint,
      boolean claimAborted)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.write(
            new StoredResource(
                collection,
                key,
                Status.RUNNING,
                1,
                argsJson,
                null,
                null,
                null,
                0,
                now,
                0,
                owner,
                leaseUntil));
      }
      if (cur.leasedAt(now) && owner.equals(cur.owner())) {
        return ChangeResult.unchanged(cur);
      }
      if (Leases.live(cur, now)) {
        return ChangeResult.busy(cur);
      }
      // Free: never leased, expired, or held by a process of this host that no longer exists.
      if (cur.status() == Status.COMPLETED
          && upToDateFingerprint != null
          && upToDateFingerprint.equals(cur.fingerprint())) {
        return ChangeResult.unchanged(cur);
      }
      if (cur.status() == Status.ABORTED && !claimAborted) {
        return ChangeResult.refused(cur, "aborted");
      }
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              Status.RUNNING,
              cur.attempts() + 1,
              argsJson,
              cur.resultJson(),
              cur.error(),
              cur.fingerprint(),
              cur.queuedAt(),
              now,
              0,
              owner,
              leaseUntil,
              cur.workJson(),
              0));
    }
  }

  /** Stores a result: {@code RUNNING (held by owner in this attempt) -> COMPLETED}. */
  public record Complete(
      String collection,
      String key,
      String owner,
      int attempt,
      String resultJson,
      String fingerprint,
      long startedAt,
      long endedAt)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      String lost = lostLease(cur, owner, attempt);
      if (lost != null) {
        return ChangeResult.refused(cur, lost);
      }
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              Status.COMPLETED,
              cur.attempts(),
              cur.argsJson(),
              resultJson,
              null,
              fingerprint,
              cur.queuedAt(),
              startedAt,
              endedAt,
              owner,
              0,
              cur.workJson(),
              0));
    }
  }

  /**
   * Records a failure: {@code RUNNING (held by owner) -> ERROR}, or ABORTED when {@code abort}. The
   * last good result stays readable.
   */
  public record Fail(
      String collection,
      String key,
      String owner,
      int attempt,
      String error,
      long startedAt,
      long endedAt,
      boolean abort)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      String lost = lostLease(cur, owner, attempt);
      if (lost != null) {
        return ChangeResult.refused(cur, lost);
      }
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              abort ? Status.ABORTED : Status.ERROR,
              cur.attempts(),
              cur.argsJson(),
              cur.resultJson(),
              error,
              cur.fingerprint(),
              cur.queuedAt(),
              startedAt,
              endedAt,
              owner,
              0,
              cur.workJson(),
              0));
    }
  }

  /** Extends a lease held by {@code owner} in {@code attempt}. */
  public record Renew(String collection, String key, String owner, int attempt, long leaseUntil)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      String lost = lostLease(cur, owner, attempt);
      if (lost != null) {
        return ChangeResult.refused(cur, lost);
      }
      if (cur.leaseUntil() >= leaseUntil) {
        return ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              Status.RUNNING,
              cur.attempts(),
              cur.argsJson(),
              cur.resultJson(),
              cur.error(),
              cur.fingerprint(),
              cur.queuedAt(),
              cur.startedAt(),
              cur.endedAt(),
              owner,
              leaseUntil,
              cur.workJson(),
              0));
    }
  }

  /**
   * Gives a claimed resource back without a result (the holder is shutting down): {@code RUNNING
   * (held by owner in this attempt) -> QUEUED}, so another worker may claim it at once instead of
   * waiting for the lease to expire. The attempt never ran, so it does not count as a try: attempts
   * go back to what they were before the claim.
   */
  public record Release(String collection, String key, String owner, int attempt, long now)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      String lost = lostLease(cur, owner, attempt);
      if (lost != null) {
        return ChangeResult.refused(cur, lost);
      }
      return ChangeResult.write(queued(cur, Math.max(0, cur.attempts() - 1), now));
    }
  }

  /**
   * Writes work for a worker to claim ({@link io.cairn.spi.ResourceStore#claimNext}): an absent,
   * QUEUED, ERROR, released or expired RUNNING resource becomes QUEUED carrying {@code workJson}
   * and {@code argsJson}, its attempts kept (they count toward its tries). A COMPLETED resource
   * with {@code fingerprint} is up to date and ABORTED is given up: both stay as they are
   * (UNCHANGED, REFUSED for ABORTED), as does a RUNNING one under a live lease (BUSY). A QUEUED
   * resource that already carries this work and these args is UNCHANGED, so re-enqueueing is free.
   *
   * @param fingerprint the fingerprint a result of this work would have, or {@code null}
   */
  public record Enqueue(
      String collection, String key, String workJson, String argsJson, String fingerprint, long now)
      implements StateChange {
    public Enqueue {
      Objects.requireNonNull(workJson, "workJson is null: enqueue a WorkSpec's JSON");
    }

    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null) {
        return ChangeResult.write(
            new StoredResource(
                collection,
                key,
                Status.QUEUED,
                0,
                argsJson,
                null,
                null,
                null,
                now,
                0,
                0,
                null,
                0,
                workJson,
                0));
      }
      switch (cur.status()) {
        case ABORTED:
          return ChangeResult.refused(cur, "aborted");
        case COMPLETED:
          if (fingerprint != null && fingerprint.equals(cur.fingerprint())) {
            return ChangeResult.unchanged(cur);
          }
          break;
        case RUNNING:
          if (Leases.live(cur, now)) {
            return ChangeResult.busy(cur);
          }
          break;
        case QUEUED:
          if (workJson.equals(cur.workJson()) && Objects.equals(argsJson, cur.argsJson())) {
            return ChangeResult.unchanged(cur);
          }
          break;
        default:
          break;
      }
      long queuedAt = cur.status() == Status.QUEUED ? cur.queuedAt() : now;
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              Status.QUEUED,
              cur.attempts(),
              argsJson,
              cur.resultJson(),
              cur.error(),
              cur.fingerprint(),
              queuedAt,
              cur.startedAt(),
              cur.endedAt(),
              null,
              0,
              workJson,
              0));
    }
  }

  /** Forgets a resource: its record is deleted (it is UNAVAILABLE again). */
  public record Forget(String collection, String key) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      return cur == null ? ChangeResult.unchanged(null) : ChangeResult.write(null);
    }
  }

  /**
   * Makes a failed or aborted resource QUEUED with its attempts reset, so it may be claimed again
   * at once (an explicit relaunch).
   */
  public record Requeue(String collection, String key, long now) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null || (cur.status() != Status.ABORTED && cur.status() != Status.ERROR)) {
        return ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(queued(cur, 0, now));
    }
  }

  /**
   * Gives up on a failed resource: ERROR becomes ABORTED, so no retry or worker takes it until it
   * is requeued; any other status stays.
   */
  public record AbortFailed(String collection, String key) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      return cur == null || cur.status() != Status.ERROR
          ? ChangeResult.unchanged(cur)
          : ChangeResult.write(cur.withStatus(Status.ABORTED));
    }
  }

  /** {@code cur} QUEUED again at {@code now}, with no lease holder and the given attempts. */
  static StoredResource queued(StoredResource cur, int attempts, long now) {
    return new StoredResource(
        cur.collection(),
        cur.key(),
        Status.QUEUED,
        attempts,
        cur.argsJson(),
        cur.resultJson(),
        cur.error(),
        cur.fingerprint(),
        now,
        cur.startedAt(),
        cur.endedAt(),
        null,
        0,
        cur.workJson(),
        0);
  }

  /**
   * Why a lease holder's change must be refused, or null when {@code owner} holds the lease in
   * {@code attempt}. The attempt number is the fencing token: a stale attempt of the same owner (a
   * claim that lost its lease and was claimed again, by this process or another) is refused like a
   * write of another owner. An expired lease that nobody took over is still held: the holder's
   * write is accepted, since nobody else computed the resource meanwhile.
   */
  public static String lostLease(StoredResource cur, String owner, int attempt) {
    if (cur == null) {
      return "lease lost: the resource was deleted";
    }
    if (cur.status() != Status.RUNNING || !Objects.equals(owner, cur.owner())) {
      return "lease lost: the resource is now "
          + cur.status().label()
          + (cur.owner() == null ? "" : " (owner " + cur.owner() + ")");
    }
    if (cur.attempts() != attempt) {
      return "lease lost: attempt "
          + attempt
          + " is stale, the resource is in attempt "
          + cur.attempts();
    }
    return null;
  }
}
