package io.cairn.spi;

import io.cairn.Status;
import java.util.Objects;

/**
 * A resource as a {@link ResourceStore} keeps it: JSON as text, times as epoch milliseconds (0 when
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
 * @param workJson the JSON of the {@link WorkSpec} a worker runs for this resource, or {@code null}
 *     when only the caller that asked for it can compute it; a store keeps it as text
 * @param changeSeq the number of the write that produced this record (see {@link
 *     ResourceStore#changesSince}), set by the store when it writes; 0 in a record not yet stored
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
    long leaseUntil,
    String workJson,
    long changeSeq) {

  public StoredResource {
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
  }

  /** A record without work, not yet stored. */
  public StoredResource(
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
    this(
        collection,
        key,
        status,
        attempts,
        argsJson,
        resultJson,
        error,
        fingerprint,
        queuedAt,
        startedAt,
        endedAt,
        owner,
        leaseUntil,
        null,
        0);
  }

  /** Whether a live lease is held on this resource at {@code now}. */
  public boolean leasedAt(long now) {
    return status == Status.RUNNING && leaseUntil > now;
  }

  /** A copy with another status (work and change number kept). */
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
        leaseUntil,
        workJson,
        changeSeq);
  }

  /** A copy with another work spec (JSON, or {@code null} for none). */
  public StoredResource withWork(String json) {
    return new StoredResource(
        collection,
        key,
        status,
        attempts,
        argsJson,
        resultJson,
        error,
        fingerprint,
        queuedAt,
        startedAt,
        endedAt,
        owner,
        leaseUntil,
        json,
        changeSeq);
  }

  /** A copy as the store wrote it, by its write numbered {@code seq}. */
  public StoredResource withChangeSeq(long seq) {
    return new StoredResource(
        collection,
        key,
        status,
        attempts,
        argsJson,
        resultJson,
        error,
        fingerprint,
        queuedAt,
        startedAt,
        endedAt,
        owner,
        leaseUntil,
        workJson,
        seq);
  }
}
