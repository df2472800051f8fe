package io.cairn.server.internal;

import io.cairn.Status;
import io.cairn.spi.StoredResource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Lease take-overs seen in the store's change stream, from every process that shares the store (the
 * server's own engine only knows its own claims): a RUNNING resource seen RUNNING again under
 * another owner, started once the lease it was seen with had expired. A claim and its end between
 * two samples are not seen; a recompute by another owner after a seen end is not a take-over. Only
 * the sampler's thread calls it.
 */
final class TakeOvers {
  /** RUNNING resources remembered at most: beyond that the memory is dropped, not grown. */
  private static final int MAX_TRACKED = 100_000;

  private final Map<String, StoredResource> running = new HashMap<>();
  private volatile long count;

  void see(String id, StoredResource r) {
    if (r.status() != Status.RUNNING) {
      running.remove(id);
      return;
    }
    StoredResource before = running.put(id, r);
    if (before != null
        && !Objects.equals(before.owner(), r.owner())
        && r.startedAt() >= before.leaseUntil()) {
      count++;
    }
    if (running.size() > MAX_TRACKED) {
      running.clear();
    }
  }

  /** After changes were skipped: what is remembered may have ended unseen. */
  void forget() {
    running.clear();
  }

  long count() {
    return count;
  }
}
