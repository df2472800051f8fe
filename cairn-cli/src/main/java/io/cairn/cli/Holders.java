package io.cairn.cli;

import io.cairn.CairnClient;
import io.cairn.Page;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.spi.StoredResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who holds what runs: the lease holder (host and pid, from the owner id {@code
 * host:pid:start:instance}), since when, and whether its lease is still live. {@code status},
 * {@code ls --status running} and {@code show} print it the same way on every store; {@code ps}
 * lists every running resource.
 */
final class Holders {
  /**
   * Running resources {@code status} reads per collection to group them by worker: the read stays
   * O(1) in the size of the collection, and a home with more running than this says so.
   */
  static final int STATUS_SCAN = 10_000;

  private Holders() {}

  /** One lease holder of one resource. */
  record Holder(String host, long pid, String owner, long since, long leaseUntil) {
    static Holder of(StoredResource r) {
      PsCommand.Owner o = PsCommand.Owner.parse(r.owner());
      return new Holder(o.host(), o.pid(), r.owner(), r.startedAt(), r.leaseUntil());
    }

    /** {"host", "pid", "owner", "since", "leaseUntil", "leaseExpired"}. */
    Map<String, Object> json(long now) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("host", host);
      m.put("pid", pid < 0 ? null : pid);
      m.put("owner", owner);
      m.put("since", iso(since));
      m.put("leaseUntil", iso(leaseUntil));
      m.put("leaseExpired", leaseUntil > 0 && leaseUntil < now);
      return m;
    }

    /** {@code host pid 1234 since 2026-...Z (12 s), lease expires in 20 s}. */
    String describe(long now) {
      StringBuilder b = new StringBuilder(host);
      if (pid >= 0) {
        b.append(" pid ").append(pid);
      }
      if (since > 0) {
        b.append(" since ")
            .append(iso(since))
            .append(" (")
            .append(Durations.format(Math.max(0, now - since)))
            .append(")");
      }
      if (leaseUntil > 0) {
        long left = leaseUntil - now;
        b.append(
            left >= 0
                ? ", lease expires in " + Durations.format(left)
                : ", lease expired " + Durations.format(-left) + " ago");
      }
      return b.toString();
    }
  }

  /** What one worker process holds in one collection. */
  record WorkerShare(
      String collection, String host, long pid, long running, long since, long expired) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("collection", collection);
      m.put("host", host);
      m.put("pid", pid < 0 ? null : pid);
      m.put("running", running);
      m.put("since", iso(since));
      m.put("leaseExpired", expired);
      return m;
    }
  }

  /** The running resources of the collections in {@code stats}, grouped by holder process. */
  static List<WorkerShare> byWorker(CairnClient cairn, Map<String, Stats> stats, long now) {
    List<WorkerShare> shares = new ArrayList<>();
    for (Map.Entry<String, Stats> e : stats.entrySet()) {
      if (e.getValue().count(Status.RUNNING) == 0) {
        continue; // the maintained counts say which collections need a look
      }
      Map<String, long[]> byHolder = new LinkedHashMap<>(); // running, since, expired
      Map<String, Holder> first = new LinkedHashMap<>();
      String cursor = null;
      int read = 0;
      do {
        Page<StoredResource> page =
            cairn.running(e.getKey(), cursor, Math.min(1_000, STATUS_SCAN - read));
        for (StoredResource r : page.items()) {
          Holder h = Holder.of(r);
          String id = h.host() + ":" + h.pid();
          first.putIfAbsent(id, h);
          long[] a = byHolder.computeIfAbsent(id, k -> new long[] {0, Long.MAX_VALUE, 0});
          a[0]++;
          if (r.startedAt() > 0) {
            a[1] = Math.min(a[1], r.startedAt());
          }
          if (r.leaseUntil() > 0 && r.leaseUntil() < now) {
            a[2]++;
          }
        }
        read += page.items().size();
        cursor = page.hasMore() ? page.nextCursor() : null;
      } while (cursor != null && read < STATUS_SCAN);
      byHolder.forEach(
          (id, a) -> {
            Holder h = first.get(id);
            shares.add(
                new WorkerShare(
                    e.getKey(), h.host(), h.pid(), a[0], a[1] == Long.MAX_VALUE ? 0 : a[1], a[2]));
          });
    }
    return shares;
  }

  /** The table {@code status} prints under the counts. */
  static List<String> render(List<WorkerShare> shares, long now, Output o) {
    TextTable table = new TextTable("held by", "pid#", "collection", "running#", "since", "lease");
    for (WorkerShare s : shares) {
      String since =
          s.since() > 0 ? iso(s.since()) + " (" + Durations.format(now - s.since()) + ")" : "";
      table.styledRow(
          new String[] {null, null, null, null, null, s.expired() > 0 ? "red" : null},
          s.host(),
          s.pid() < 0 ? "" : s.pid(),
          s.collection(),
          s.running(),
          since,
          s.expired() > 0 ? s.expired() + " expired" : "live");
    }
    return table.render(o);
  }

  static String iso(long millis) {
    return millis > 0 ? Instant.ofEpochMilli(millis).toString() : null;
  }
}
