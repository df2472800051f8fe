package io.cairn.spi;

import io.cairn.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The read–decide–check loop every {@link ResourceStore} applies a batch with, written once: a
 * store reads the current records of the resources a batch touches, calls {@link #decide}, and
 * writes the {@linkplain Decided#finalStates final states} it returns, all in one transaction. The
 * rules (each change sees the earlier changes of its batch, {@link Status#canMoveTo} refuses
 * illegal moves, a change writes only its own resource) then hold the same in every backend.
 *
 * <p>Stateless and thread-safe; {@code decide} calls {@link StateChange#decide} once per change, in
 * order, on the calling thread.
 */
public final class StateChanges {
  private StateChanges() {}

  /** Where {@link #decide} reads the record a change starts from. */
  @FunctionalInterface
  public interface Current {
    /**
     * The stored record of {@code (collection, key)} as the transaction sees it before the batch,
     * or {@code null} when there is none.
     */
    StoredResource get(String collection, String key);
  }

  /**
   * A decided batch.
   *
   * @param results one result per change, in the batch's order
   * @param finalStates per collection, in order of first touch, the final state of every resource
   *     an applied change wrote, in order of first write: a record to store, or empty to delete (a
   *     store deletes only what exists). Resources no applied change wrote are absent. Not copied:
   *     read-only views of the maps {@code decide} built
   */
  public record Decided(
      List<ChangeResult> results, Map<String, Map<String, Optional<StoredResource>>> finalStates) {}

  /**
   * Decides a batch against {@code current}: for each change in order, the record it starts from is
   * the one an earlier change of the batch wrote, else {@code current}'s; its decision is
   * {@linkplain #check checked}. Nothing is written: if a change throws, the exception propagates
   * and the store writes nothing of the batch.
   *
   * @throws NullPointerException if {@code changes} or {@code current} is null
   * @throws IllegalStateException if a change writes another resource than its own
   */
  public static Decided decide(List<? extends StateChange> changes, Current current) {
    Objects.requireNonNull(changes, "changes is null: pass the batch to decide");
    Objects.requireNonNull(current, "current is null: pass where the stored records are read");
    Map<String, Map<String, Optional<StoredResource>>> view = new LinkedHashMap<>();
    List<ChangeResult> results = new ArrayList<>(changes.size());
    for (StateChange change : changes) {
      Map<String, Optional<StoredResource>> mine =
          view.computeIfAbsent(change.collection(), k -> new LinkedHashMap<>());
      Optional<StoredResource> seen = mine.get(change.key());
      StoredResource cur =
          seen != null ? seen.orElse(null) : current.get(change.collection(), change.key());
      ChangeResult decided = check(change, cur, change.decide(cur));
      if (decided.applied()) {
        mine.put(change.key(), Optional.ofNullable(decided.record()));
      }
      results.add(decided);
    }
    view.values().removeIf(Map::isEmpty);
    return new Decided(Collections.unmodifiableList(results), Collections.unmodifiableMap(view));
  }

  /**
   * A change's decision checked against the transition table and the change's own identity: an
   * applied move {@link Status#canMoveTo} forbids becomes {@link ChangeResult.Outcome#REFUSED}, and
   * a deletion of an absent resource becomes {@link ChangeResult.Outcome#UNCHANGED}.
   *
   * @param cur the record the change started from, or {@code null}
   * @throws IllegalStateException if the decision writes another resource than the change's own
   */
  public static ChangeResult check(StateChange change, StoredResource cur, ChangeResult decided) {
    if (decided == null) {
      throw new IllegalStateException("a change decided null: " + change);
    }
    if (!decided.applied()) {
      return decided;
    }
    StoredResource next = decided.record();
    if (next != null
        && (!next.collection().equals(change.collection()) || !next.key().equals(change.key()))) {
      throw new IllegalStateException("a change may only write its own resource: " + change);
    }
    Status from = cur == null ? Status.UNAVAILABLE : cur.status();
    Status to = next == null ? Status.UNAVAILABLE : next.status();
    if (from == Status.UNAVAILABLE && to == Status.UNAVAILABLE) {
      return ChangeResult.unchanged(null);
    }
    if (!from.canMoveTo(to)) {
      return ChangeResult.refused(cur, "illegal move " + from.label() + " -> " + to.label());
    }
    return decided;
  }

  /**
   * Refuses a bulk move ({@link ResourceStore#moveAll}) that leases or the transition table forbid.
   *
   * @throws IllegalArgumentException if resources in {@code from} may not all move to {@code to}
   */
  public static void checkMoveAll(Status from, Status to) {
    if (from == Status.UNAVAILABLE || from == Status.RUNNING || !from.canMoveTo(to)) {
      throw new IllegalArgumentException(
          "cannot move all " + from.label() + " resources to " + to.label());
    }
  }

  /**
   * The claim {@link ResourceStore#claimNext} makes of each candidate it read: a resource that
   * carries work and is QUEUED, or RUNNING with a lease expired at {@code now} (the store's clock),
   * moves to RUNNING for {@code owner} until {@code leaseUntil}, attempts + 1, started at {@code
   * now}, keeping its work. Anything else is left as it is (BUSY under a live lease, else
   * UNCHANGED), so a candidate another claimant took first is skipped.
   */
  public record ClaimNext(String collection, String key, String owner, long now, long leaseUntil)
      implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      if (cur == null || cur.workJson() == null) {
        return ChangeResult.unchanged(cur);
      }
      boolean free =
          cur.status() == Status.QUEUED
              || (cur.status() == Status.RUNNING && cur.leaseUntil() <= now);
      if (!free) {
        return cur.leasedAt(now) ? ChangeResult.busy(cur) : ChangeResult.unchanged(cur);
      }
      return ChangeResult.write(
          new StoredResource(
              collection,
              key,
              Status.RUNNING,
              cur.attempts() + 1,
              cur.argsJson(),
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

  /** The most {@link ResourceStore#claimNext} claims in one call. */
  public static final int MAX_CLAIM = 10_000;

  /**
   * Validates the arguments of {@link ResourceStore#claimNext}.
   *
   * @throws IllegalArgumentException naming the bad argument and what is allowed
   */
  public static void checkClaimNext(Set<String> collections, String owner, int n, long leaseUntil) {
    // Not contains(null): immutable sets throw on it.
    if (collections == null
        || collections.isEmpty()
        || collections.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException(
          "claimNext needs at least one collection name (no nulls), got " + collections);
    }
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("claimNext needs an owner id, got '" + owner + "'");
    }
    if (n < 1 || n > MAX_CLAIM) {
      throw new IllegalArgumentException(
          "claimNext claims 1 to " + MAX_CLAIM + " resources at a time, got " + n);
    }
    if (leaseUntil <= 0) {
      throw new IllegalArgumentException(
          "claimNext needs a lease expiry in ms since the epoch (store clock), got " + leaseUntil);
    }
  }

  /**
   * Validates the arguments of {@link ResourceStore#changesSince}.
   *
   * @throws IllegalArgumentException naming the bad argument and what is allowed
   */
  public static void checkChangesSince(long cursor, int limit) {
    if (cursor < 0) {
      throw new IllegalArgumentException(
          "change cursor must be 0 or a cursor the store returned, got " + cursor);
    }
    StateStore.checkLimit(limit);
  }
}
