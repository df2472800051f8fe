package io.cairn;

import java.util.Map;

/**
 * A snapshot of one resource: its status, timings, arguments, result and error.
 *
 * <p>Times are epoch milliseconds, 0 when the event has not happened. After a failed recompute,
 * {@link #result()} is still the last good result while {@link #status()} is {@link Status#ERROR}.
 *
 * @param collection the collection name
 * @param ident the resource's identifier within its collection
 * @param status the status when the snapshot was taken
 * @param attempts how many times a computation was started (an expired lease counts)
 * @param args the arguments of the latest attempt (JSON values), empty when never asked for
 * @param result the last stored result (JSON values: maps, lists, strings, numbers, booleans), or
 *     {@code null}
 * @param error the stack trace or message of the last failure, or {@code null}
 * @param queuedTime when it was queued, or 0
 * @param startTime when its latest computation started, or 0
 * @param endTime when its latest computation ended (completed or failed), or 0
 * @param owner who holds or last held its lease, or {@code null}
 * @param paths where its files live
 */
public record Resource(
    String collection,
    String ident,
    Status status,
    int attempts,
    Map<String, Object> args,
    Object result,
    String error,
    long queuedTime,
    long startTime,
    long endTime,
    String owner,
    ResourcePaths paths) {

  public Resource {
    args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(args);
  }

  /** Whether the resource is {@link Status#COMPLETED}. */
  public boolean isCompleted() {
    return status == Status.COMPLETED;
  }

  /** Milliseconds between start and end of the latest computation, or -1 if it has not ended. */
  public long durationMillis() {
    return startTime > 0 && endTime >= startTime ? endTime - startTime : -1;
  }
}
