package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.server.CairnServer;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API over a SQLite home of 10,000,000 resources (0.1% ERROR): time to the first page of
 * ERROR resources (also by ident prefix) and of the overview; requests/s with 50 connections
 * ({@code wrk}) for the overview JSON and a resource page beside {@code /health}, a trivial route
 * of the same server, in the same run; and the live stream's delay and the server's CPU while a
 * second store writes 50,000 resources/s into the same home.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.ServerAtScale
 * [resources=10000000] [home=/tmp/cairn-bench-server-10m] [wrkSeconds=10] [rate=50000]
 * [liveSeconds=20]}. The home is built once with raw batched inserts and kept.
 */
public final class ServerAtScale {
  private static final String BIG = "big";
  private static final String CHURN = "churn";
  private static final String WATCH = "watch";
  private static final int SAMPLES = 100;
  private static final Pattern WATCHED =
      Pattern.compile("\"ident\":\"watched\",\"status\":\"(\\w+)\",\"attempts\":(\\d+)");
  private static final Pattern CHURN_DONE =
      Pattern.compile("\"name\":\"churn\",\"counts\":\\{[^}]*\"completed\":(\\d+)");

  public static void main(String[] args) throws Exception {
    System.out.println(Floor.measure());
    long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path home =
        Path.of(args.length > 1 ? args[1] : "/tmp/cairn-bench-server-" + n / 1_000_000 + "m");
    int wrkSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
    int liveSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    populate(home, n);
    System.out.printf(
        "load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    try (Cairn cairn = Cairn.open(home);
        CairnServer server = CairnServer.builder(cairn).port(0).workers(0).start()) {
      String token = Files.readString(home.resolve("server-token")).trim();
      String base = server.baseUrl();
      HttpClient http = HttpClient.newHttpClient();
      String errors = "/api/v1/collections/big/resources?status=error&limit=50";
      String errorsByPrefix = errors + "&prefix=r-050";
      String overview = "/api/v1/collections";
      String resource = "/api/v1/collections/big/resource?ident=r-00000999";
      // The server's own first request (Jetty, Javalin, JSON classes), apart from the store's.
      long t0 = System.nanoTime();
      get(http, base, token, "/api/v1");
      System.out.printf(
          "first request to the server (/api/v1): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      for (String path : List.of(errors, errorsByPrefix, overview, resource)) {
        latency(http, base, token, path);
      }
      for (String path : List.of("/health", overview, resource)) {
        wrk(base, token, path, wrkSeconds);
      }
      live(http, base, token, home, rate, liveSeconds);
    }
    System.out.printf(
        "load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private static HttpResponse<String> get(HttpClient http, String base, String token, String p)
      throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base + p))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(p + " answered " + res.statusCode() + ": " + res.body());
    }
    return res;
  }

  /** Round trips on loopback: the server's time plus the HTTP client's, an upper bound. */
  private static void latency(HttpClient http, String base, String token, String path)
      throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> first = get(http, base, token, path);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    double[] ms = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      t0 = System.nanoTime();
      get(http, base, token, path);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    System.out.printf(
        "GET %s: first %.2f ms, median %.2f ms, p90 %.2f ms (%d bytes)%n",
        path, firstMs, Bench.median(ms), ms[SAMPLES * 9 / 10], first.body().length());
  }

  private static void wrk(String base, String token, String path, int seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c50",
                "-d" + seconds + "s",
                "--latency",
                "-H",
                "Authorization: Bearer " + token,
                base + path)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    StringBuilder summary = new StringBuilder("wrk -t2 -c50 " + path + ":");
    for (String line : out.split("\n")) {
      String l = line.trim();
      if (l.startsWith("Requests/sec")
          || l.startsWith("Non-2xx")
          || l.startsWith("Socket errors")
          || l.startsWith("50%")
          || l.startsWith("99%")
          || l.contains("requests in")) {
        summary.append(" | ").append(l);
      }
    }
    System.out.println(summary);
  }

  /**
   * A second store writes {@code rate} new resources/s (claim and complete each) into CHURN; an
   * event-stream client notes when each counts event arrives and what CHURN's completed count was;
   * the delay of an event is its arrival minus the time the writer first committed that count.
   */
  private static void live(
      HttpClient http, String base, String token, Path home, int rate, int seconds)
      throws Exception {
    ConcurrentSkipListMap<Long, Long> committedAt = new ConcurrentSkipListMap<>();
    List<long[]> arrivals = new CopyOnWriteArrayList<>();
    List<String> watchedSeen = new CopyOnWriteArrayList<>();
    java.util.Map<String, Long> watchedAt = new java.util.concurrent.ConcurrentHashMap<>();
    HttpResponse<InputStream> sse =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/events?watch=" + WATCH + "/watched"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader b =
                  new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                for (String l; (l = b.readLine()) != null; ) {
                  Matcher m = CHURN_DONE.matcher(l);
                  if (m.find()) {
                    arrivals.add(new long[] {System.nanoTime(), Long.parseLong(m.group(1))});
                  }
                  Matcher w = WATCHED.matcher(l);
                  if (w.find()) {
                    watchedSeen.add(w.group(1) + ":" + w.group(2) + ":" + System.nanoTime());
                  }
                }
              } catch (java.io.IOException e) {
                // closed at the end
              }
            },
            "bench-sse");
    reader.setDaemon(true);
    reader.start();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] cpu0 = serverCpu(threads);
    long wall0 = System.nanoTime();
    long written = 0;
    long writerCpu0;
    try (StateStore store = StateStores.sqlite(home.resolve("cairn.db"))) {
      store.registerCollection(CHURN, "");
      store.registerCollection(WATCH, "");
      var before = store.get(WATCH, "watched");
      int watchedBase = before.map(r -> r.attempts()).orElse(0);
      long base0 = store.stats(CHURN).count(Status.COMPLETED);
      writerCpu0 = threads.getCurrentThreadCpuTime();
      int perBatch = Math.max(1, rate / 20); // 20 batches a second
      long start = System.nanoTime();
      long key = System.currentTimeMillis() * 1000;
      for (int i = 0; i < seconds * 20; i++) {
        long due = start + i * 50_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        List<StateChange> batch = new ArrayList<>(2 * perBatch);
        long now = System.currentTimeMillis();
        for (int k = 0; k < perBatch; k++) {
          String id = "c-" + key++;
          batch.add(new Changes.Claim(CHURN, id, "bench", now, now + 60_000, "{}", null, false));
          batch.add(new Changes.Complete(CHURN, id, "bench", 1, "1", "fp", now, now));
        }
        // Once a second the watched resource starts (even batches) and ends (odd) a new attempt.
        String watchedState = null;
        if (i % 10 == 0) {
          int attempt = i / 20 + 1 + watchedBase;
          if (i % 20 == 0) {
            batch.add(
                new Changes.Claim(WATCH, "watched", "bench", now, now + 60_000, "{}", null, false));
            watchedState = "running:" + attempt;
          } else {
            batch.add(
                new Changes.Complete(WATCH, "watched", "bench", attempt, "1", "fp", now, now));
            watchedState = "completed:" + attempt;
          }
        }
        store.apply(batch);
        if (watchedState != null) {
          watchedAt.put(watchedState, System.nanoTime());
        }
        written += perBatch;
        committedAt.put(base0 + written, System.nanoTime());
      }
    }
    long wall = System.nanoTime() - wall0;
    long writerCpu = threads.getCurrentThreadCpuTime() - writerCpu0;
    Thread.sleep(2_500); // the last ticks
    long[] cpu1 = serverCpu(threads);
    sse.body().close();
    List<Double> delays = new ArrayList<>();
    for (long[] a : arrivals) {
      var first = committedAt.ceilingEntry(a[1]);
      if (first != null && first.getKey() == a[1]) {
        delays.add((a[0] - first.getValue()) / 1e6);
      }
    }
    double[] d = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    List<Double> wd = new ArrayList<>();
    for (String seen : watchedSeen) {
      int cut = seen.lastIndexOf(':');
      Long at = watchedAt.get(seen.substring(0, cut));
      if (at != null) {
        wd.add((Long.parseLong(seen.substring(cut + 1)) - at) / 1e6);
      }
    }
    double[] w = wd.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "live: watched resource changed %d times, %d resource events matched a change: delay"
            + " median %.0f ms, max %.0f ms%n",
        watchedAt.size(),
        w.length,
        w.length == 0 ? Double.NaN : Bench.median(w),
        w.length == 0 ? Double.NaN : w[w.length - 1]);
    double secs = wall / 1e9;
    System.out.printf(
        "live: wrote %,d resources in %.1f s (%,.0f/s, writer thread %.0f%% of a core);"
            + " %d counts events matched a commit: delay median %.0f ms, max %.0f ms;"
            + " server CPU: sampler %.1f%% of a core, http/sse threads %.1f%% of a core%n",
        written,
        secs,
        written / secs,
        100.0 * writerCpu / wall,
        d.length,
        d.length == 0 ? Double.NaN : Bench.median(d),
        d.length == 0 ? Double.NaN : d[d.length - 1],
        100.0 * (cpu1[0] - cpu0[0]) / (wall + 2.5e9),
        100.0 * (cpu1[1] - cpu0[1]) / (wall + 2.5e9));
  }

  /** CPU nanoseconds of the sampler thread and of the HTTP threads (the stream's sender). */
  private static long[] serverCpu(ThreadMXBean threads) {
    long sampler = 0;
    long httpThreads = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      if (t.getThreadName().startsWith("cairn-server-sampler")) {
        sampler += cpu;
      } else if (t.getThreadName().startsWith("cairn-http")) {
        httpThreads += cpu;
      }
    }
    return new long[] {sampler, httpThreads};
  }

  /**
   * Raw batched inserts into a store made by Cairn (schema, collection): keys {@code r-%08d} in
   * order, every 1,000th ERROR, the rest COMPLETED, with counts and the change sequence set.
   */
  static void populate(Path home, long n) throws Exception {
    Path db = home.resolve("cairn.db");
    if (Files.exists(db)) {
      try (StateStore store = StateStores.sqlite(db)) {
        if (store.stats(BIG).total() == n) {
          return;
        }
      }
      Bench.deleteTree(home);
    }
    Files.createDirectories(home);
    try (StateStore store = StateStores.sqlite(db)) {
      store.registerCollection(BIG, "");
    }
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=OFF");
      long cid;
      try (var rs = st.executeQuery("SELECT id FROM collections WHERE name = '" + BIG + "'")) {
        rs.next();
        cid = rs.getLong(1);
      }
      c.setAutoCommit(false);
      long now = System.currentTimeMillis();
      long errors = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO resources (collection_id, key, seq, status, attempts, args, result,"
                  + " error, fingerprint, queued_at, started_at, ended_at, owner, lease_until,"
                  + " work, change_seq) VALUES (?, ?, ?, ?, 1, '{}', ?, ?, 'fp', 0, ?, ?, NULL,"
                  + " 0, NULL, ?)")) {
        for (long i = 1; i <= n; i++) {
          boolean error = i % 1_000 == 999;
          errors += error ? 1 : 0;
          ps.setLong(1, cid);
          ps.setString(2, String.format("r-%08d", i));
          ps.setLong(3, i);
          ps.setInt(4, (error ? Status.ERROR : Status.COMPLETED).ordinal());
          ps.setString(5, error ? null : "{\"i\":" + i + "}");
          ps.setString(
              6, error ? "java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)" : null);
          ps.setLong(7, now);
          ps.setLong(8, now);
          ps.setLong(9, i);
          ps.addBatch();
          if (i % 10_000 == 0) {
            ps.executeBatch();
          }
          if (i % 1_000_000 == 0) {
            c.commit();
            System.out.printf("populated %,d in %.0f s%n", i, (System.nanoTime() - start) / 1e9);
          }
        }
        ps.executeBatch();
      }
      st.execute("DELETE FROM status_counts WHERE collection_id = " + cid);
      st.execute(
          "INSERT INTO status_counts VALUES ("
              + cid
              + ", "
              + Status.COMPLETED.ordinal()
              + ", "
              + (n - errors)
              + "), ("
              + cid
              + ", "
              + Status.ERROR.ordinal()
              + ", "
              + errors
              + "), ("
              + cid
              + ", 99, "
              + n
              + ")");
      st.execute("UPDATE sequences SET next = " + (n + 1) + " WHERE name = 'changes'");
      c.commit();
    }
    System.out.printf("populated %,d in %.0f s%n", n, (System.nanoTime() - start) / 1e9);
  }
}
