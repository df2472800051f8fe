package io.cairn.server.internal;

import io.cairn.Cairn;
import io.cairn.CommitStats;
import io.cairn.Stats;
import io.cairn.Status;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** {@code GET /metrics} in the Prometheus text format, from the sampler's latest tick. */
final class Metrics {
  private final Cairn cairn;
  private final Sampler sampler;
  private final LiveStream live;
  final LongAdder requests = new LongAdder();
  final LongAdder problems = new LongAdder();

  Metrics(Cairn cairn, Sampler sampler, LiveStream live) {
    this.cairn = cairn;
    this.sampler = sampler;
    this.live = live;
  }

  void serve(Context ctx) {
    StringBuilder b = new StringBuilder(4096);
    Sampler.Tick t = sampler.last();
    help(b, "cairn_resources", "gauge", "Resources by collection and status.");
    for (Map.Entry<String, Stats> e : t.stats().entrySet()) {
      for (Status s : Status.values()) {
        if (s != Status.UNAVAILABLE) {
          b.append("cairn_resources{collection=\"")
              .append(esc(e.getKey()))
              .append("\",status=\"")
              .append(s.label())
              .append("\"} ")
              .append(e.getValue().count(s))
              .append('\n');
        }
      }
    }
    help(b, "cairn_queue_depth", "gauge", "QUEUED resources by collection.");
    t.stats().forEach((c, s) -> line(b, "cairn_queue_depth", c, s.count(Status.QUEUED)));
    help(b, "cairn_throughput_per_second", "gauge", "Resources finished per second, last minute.");
    t.stats()
        .keySet()
        .forEach(c -> line(b, "cairn_throughput_per_second", c, sampler.throughput(c)));
    help(
        b,
        "cairn_lease_takeovers_total",
        "counter",
        "Expired leases taken over by another owner, seen in the store's changes since start.");
    b.append("cairn_lease_takeovers_total ").append(sampler.takeOvers()).append('\n');
    commits(b, cairn.commitStats());
    help(b, "cairn_http_requests_total", "counter", "HTTP requests served.");
    b.append("cairn_http_requests_total ").append(requests.sum()).append('\n');
    help(b, "cairn_http_problems_total", "counter", "HTTP responses with a 4xx or 5xx status.");
    b.append("cairn_http_problems_total ").append(problems.sum()).append('\n');
    help(b, "cairn_live_viewers", "gauge", "Open server-sent-event streams.");
    b.append("cairn_live_viewers ").append(live.viewers()).append('\n');
    Runtime rt = Runtime.getRuntime();
    help(b, "jvm_memory_used_bytes", "gauge", "Heap in use.");
    b.append("jvm_memory_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
    help(b, "jvm_memory_max_bytes", "gauge", "Heap limit.");
    b.append("jvm_memory_max_bytes ").append(rt.maxMemory()).append('\n');
    help(b, "jvm_threads_live", "gauge", "Live JVM threads.");
    b.append("jvm_threads_live ")
        .append(ManagementFactory.getThreadMXBean().getThreadCount())
        .append('\n');
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(b.toString());
  }

  private static void commits(StringBuilder b, CommitStats c) {
    help(
        b,
        "cairn_commit_seconds",
        "histogram",
        "Group commits of resource changes by this server.");
    long cumulative = 0;
    for (int i = 0; i < c.counts().size(); i++) {
      cumulative += c.counts().get(i);
      String le = i < c.boundsSeconds().size() ? Double.toString(c.boundsSeconds().get(i)) : "+Inf";
      b.append("cairn_commit_seconds_bucket{le=\"")
          .append(le)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    b.append("cairn_commit_seconds_sum ").append(c.totalSeconds()).append('\n');
    b.append("cairn_commit_seconds_count ").append(cumulative).append('\n');
  }

  private static void help(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder b, String name, String c, Object v) {
    b.append(name).append("{collection=\"").append(esc(c)).append("\"} ").append(v).append('\n');
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
