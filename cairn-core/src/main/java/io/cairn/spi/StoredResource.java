package io.cairn.spi;

import io.cairn.Status;
import java.util.Objects;

/**
 * A resource as a {@link StateStore} keeps it: JSON as text, times as epoch milliseconds (0 when
 * unset).
 *
 * @param collection the collection name
 * @param key the resource key (the user's ident)
 * @param status never {@link Status#UNAVAILABLE} for a stored record
 * @param attempts computations started
 * @param argsJson canonical JSON of the latest attempt's arguments, or {@code null}
 * @param resultJson JSON of the last good result, or {@code null}
 * @param error text of the last failure, or {@code null}
 * @param fingerprint fingerprint (arguments + collection version) of the stored result, or {@code
 *     null}
 * @param queuedAt when queued, or 0
 * @param startedAt when the latest attempt started, or 0
 * @param endedAt when the latest attempt ended, or 0
 * @param owner the lease holder (or last holder), or {@code null}
 * @param leaseUntil when the lease expires, or 0
 */
public record StoredResource(
    String collection,
    String key,
    Status status,
    int attempts,
    String argsJson,
    String resultJson,
    String error,
    String fingerprint,
    long queuedAt,
    long startedAt,
    long endedAt,
    String owner,
    long leaseUntil) {

  public StoredResource {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
  }

  /** Whether a live lease is held on this resource at {@code now}. */
  public boolean leasedAt(long now) {
    return status == Status.RUNNING && leaseUntil > now;
  }

  /** A copy with another status. */
  public StoredResource withStatus(Status next) {
    return new StoredResource(
        collection,
        key,
        next,
        attempts,
        argsJson,
        resultJson,
        error,
        fingerprint,
        queuedAt,
        startedAt,
        endedAt,
        owner,
        leaseUntil);
  }
}
