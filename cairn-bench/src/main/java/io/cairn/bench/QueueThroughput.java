package io.cairn.bench;

import io.cairn.Cairn;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.WorkSpecs;
import io.cairn.pipeline.Params;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repositories;
import io.cairn.pipeline.RunSummary;
import io.cairn.postgres.PostgresStore;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import io.cairn.spi.WorkSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The durable queue with 1, 2 and 4 worker processes on one SQLite home, trivial jobs, all enqueued
 * beforehand by the parent (outside the timing). Two figures per process count: the store's
 * primitive (each child loops {@code claimNext(n)} then one batched {@code apply} of fenced {@code
 * Complete}s until the queue is empty), and the real worker path (each child runs {@link
 * Cairn#work} on a trivial Java pipeline; the parent watches {@code stats} until every job is
 * COMPLETED, then stops the children). Children are started and open the home before the clock
 * starts; JVM start-up is not timed. Judged against two raw batched row writes per job (a claim and
 * an outcome), from {@link Floor} measured at the start of each round.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.QueueThroughput
 * [jobs=200000] [workerJobs=20000] [rounds=3] [processes=1,2,4] [claim=256] [threads=2]}
 */
public final class QueueThroughput {
  private static final String PIPELINE = "bench";
  private static final String TASK = "trivial";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("claim-child")) {
      claimChild(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args.length > 0 && args[0].equals("work-child")) {
      workChild(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    // The worker path is an order of magnitude slower (see docs/benchmarks.md): fewer jobs keep
    // a round short without changing the per-job figure.
    int workerJobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String procList = args.length > 3 ? args[3] : "1,2,4";
    int claim = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    if (jobs < 1 || workerJobs < 1 || rounds < 1 || claim < 1 || claim > 10_000 || threads < 1) {
      throw new IllegalArgumentException(
          "usage: QueueThroughput [jobs >= 1] [workerJobs >= 1] [rounds >= 1] [processes=1,2,4]"
              + " [claim 1..10000] [threads >= 1]");
    }
    String[] procs = procList.split(",");
    double[][] prim = new double[procs.length][rounds];
    double[][] primRatio = new double[procs.length][rounds];
    double[][] work = new double[procs.length][rounds];
    double[][] workRatio = new double[procs.length][rounds];
    for (int round = 0; round < rounds; round++) {
      Floor floor = Floor.measure();
      double twoRows = 2 * floor.batchRowMicros();
      System.out.printf("round %d %s; two batched rows = %.2f µs%n", round + 1, floor, twoRows);
      for (int i = 0; i < procs.length; i++) {
        int p = Integer.parseInt(procs[i].trim());
        double a = primitive(jobs, p, claim);
        double b = worker(workerJobs, p, threads);
        prim[i][round] = a;
        primRatio[i][round] = (1e6 / a) / twoRows;
        work[i][round] = b;
        workRatio[i][round] = (1e6 / b) / twoRows;
        System.out.printf(
            "  %d process(es): claimNext(%d)+complete %,.0f jobs/s = %.2fx; Cairn.work (%d"
                + " threads each) %,.0f jobs/s = %.2fx two batched rows%n",
            p, claim, a, primRatio[i][round], threads, b, workRatio[i][round]);
      }
    }
    for (int i = 0; i < procs.length; i++) {
      System.out.printf(
          "%s process(es), medians of %d rounds: claimNext(%d)+complete (%,d jobs) %,.0f jobs/s"
              + " (%.1f µs/job) = %.2fx two batched rows; Cairn.work (%,d jobs, %d threads each)"
              + " %,.0f jobs/s (%.1f µs/job) = %.2fx%n",
          procs[i].trim(),
          rounds,
          claim,
          jobs,
          Bench.median(prim[i]),
          1e6 / Bench.median(prim[i]),
          Bench.median(primRatio[i]),
          workerJobs,
          threads,
          Bench.median(work[i]),
          1e6 / Bench.median(work[i]),
          Bench.median(workRatio[i]));
    }
  }

  /**
   * The PostgreSQL store every process of a round uses instead of the home's SQLite database
   * (system property {@code cairn.bench.store}, passed on to the children; see {@link
   * PostgresQueueThroughput}); null for SQLite.
   */
  static final String PG = System.getProperty("cairn.bench.store");

  static StateStore store(Path home) {
    return PG == null ? StateStores.sqlite(home.resolve("cairn.db")) : PostgresStore.open(PG);
  }

  static Cairn open(Path home) {
    return PG == null
        ? Cairn.open(home)
        : Cairn.builder().home(home).stateStore(PostgresStore.open(PG)).open();
  }

  /** The pipeline every worker child and the parent's enqueue agree on. */
  static Pipeline pipeline() {
    return Pipeline.builder(PIPELINE)
        .task(
            PipelineTask.java(TASK, (job, ctx) -> Map.of("ok", true))
                .input("in", Repositories.inMemory("in")))
        .build();
  }

  /** Returns jobs/s for {@code procs} children looping claimNext + complete. */
  private static double primitive(int jobs, int procs, int claim) throws Exception {
    PostgresQueueThroughput.reset();
    Path home = Files.createTempDirectory("cairn-bench-queue");
    try {
      String collection = "queue";
      enqueue(home, collection, jobs, "{\"call\":\"noop\"}", "{}", null);
      List<Child> children = new ArrayList<>();
      for (int i = 0; i < procs; i++) {
        children.add(Child.start("claim-child", home, claim));
      }
      long t0 = System.nanoTime();
      for (Child c : children) {
        c.send("go");
      }
      long done = 0;
      for (Child c : children) {
        done += Long.parseLong(c.line());
      }
      double s = (System.nanoTime() - t0) / 1e9;
      for (Child c : children) {
        c.exit();
      }
      check(home, collection, jobs, done);
      return jobs / s;
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** Returns jobs/s for {@code procs} children running {@link Cairn#work}. */
  private static double worker(int jobs, int procs, int threads) throws Exception {
    PostgresQueueThroughput.reset();
    Path home = Files.createTempDirectory("cairn-bench-workers");
    try {
      Pipeline p = pipeline();
      PipelineTask task = p.tasks().get(0);
      String args = Params.canonical(Map.of());
      String work =
          WorkSpecs.write(
              new WorkSpec.Call(
                  "pipeline:" + PIPELINE + "/" + TASK,
                  args,
                  new WorkSpec.Needs((int) Math.ceil(task.cpu()), task.memoryMb() << 20)));
      String collection = p.collectionOf(TASK);
      enqueue(home, collection, jobs, work, args, Engine.fingerprint(args, task.version()));
      List<Child> children = new ArrayList<>();
      for (int i = 0; i < procs; i++) {
        children.add(Child.start("work-child", home, threads));
      }
      double s;
      try (StateStore store = store(home)) {
        long t0 = System.nanoTime();
        for (Child c : children) {
          c.send("go");
        }
        // What a watcher does: look at the counts every few ms until every job is COMPLETED.
        while (store.stats(collection).count(Status.COMPLETED) < jobs) {
          Thread.sleep(5);
        }
        s = (System.nanoTime() - t0) / 1e9;
      }
      long done = 0;
      for (Child c : children) {
        c.send("stop");
        done += Long.parseLong(c.line());
        c.exit();
      }
      check(home, collection, jobs, done);
      return jobs / s;
    } finally {
      Bench.deleteTree(home);
    }
  }

  /** Writes {@code jobs} QUEUED resources carrying work, in batches, as a scheduler would. */
  private static void enqueue(
      Path home, String collection, int jobs, String work, String args, String fingerprint) {
    try (StateStore store = store(home)) {
      List<StateChange> batch = new ArrayList<>(4_096);
      long now = store.now();
      for (int i = 0; i < jobs; i++) {
        batch.add(new Changes.Enqueue(collection, "job-" + i, work, args, fingerprint, now));
        if (batch.size() == 4_096 || i == jobs - 1) {
          store.apply(batch);
          batch.clear();
        }
      }
    }
  }

  /** Every job done exactly once: all COMPLETED, and the children's counts add up to the jobs. */
  private static void check(Path home, String collection, int jobs, long done) {
    try (StateStore store = store(home)) {
      long completed = store.stats(collection).count(Status.COMPLETED);
      if (completed != jobs || done != jobs) {
        throw new IllegalStateException(
            "expected " + jobs + " jobs done once, stored " + completed + ", children did " + done);
      }
    }
  }

  private static void claimChild(Path home, int claim) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String owner = "bench-" + ProcessHandle.current().pid();
    long done = 0;
    try (StateStore store = store(home)) {
      System.out.println("ready");
      System.out.flush();
      in.readLine();
      Set<String> collections = Set.of("queue");
      while (true) {
        List<StoredResource> got = store.claimNext(collections, owner, claim, store.now() + 60_000);
        if (got.isEmpty()) {
          break;
        }
        long now = store.now();
        List<StateChange> outcomes = new ArrayList<>(got.size());
        for (StoredResource r : got) {
          outcomes.add(
              new Changes.Complete(
                  r.collection(),
                  r.key(),
                  owner,
                  r.attempts(),
                  "{\"ok\":true}",
                  r.fingerprint(),
                  r.startedAt(),
                  now));
        }
        for (ChangeResult r : store.apply(outcomes)) {
          if (!r.applied()) {
            throw new IllegalStateException("a fenced complete was refused: " + r);
          }
        }
        done += got.size();
      }
    }
    System.out.println(done);
    System.out.flush();
    in.readLine(); // the parent's "exit", so the figure never includes this JVM's shutdown
  }

  private static void workChild(Path home, int threads) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Cairn cairn = open(home)) {
      System.out.println("ready");
      System.out.flush();
      in.readLine();
      Thread main = Thread.currentThread();
      Thread stopper =
          new Thread(
              () -> {
                try {
                  in.readLine();
                } catch (java.io.IOException e) {
                  // the parent is gone: stop as well
                }
                main.interrupt();
              },
              "bench-stop");
      stopper.setDaemon(true);
      stopper.start();
      RunSummary r = cairn.work(List.of(pipeline()), List.of(), threads, Duration.ofSeconds(5));
      Thread.interrupted();
      System.out.println(r.completed());
      System.out.flush();
    }
    in.readLine();
  }

  /** A child JVM driven by lines on its stdin, answering lines on its stdout. */
  private record Child(Process process, BufferedReader out, Writer in) {
    static Child start(String mode, Path home, int n) throws Exception {
      List<String> cmd = new ArrayList<>();
      // Profiling the children (docs/benchmarks.md): system calls per child, or a JFR recording.
      String strace = System.getenv("CAIRN_BENCH_STRACE_DIR");
      if (strace != null) {
        cmd.addAll(
            List.of(
                "sh",
                "-c",
                "exec strace -f -c -o " + strace + "/" + mode + "-$$.txt \"$@\"",
                "sh"));
      }
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String jfr = System.getenv("CAIRN_BENCH_JFR_DIR");
      if (jfr != null) {
        cmd.add(
            "-XX:StartFlightRecording=dumponexit=true,filename="
                + jfr
                + "/"
                + mode
                + "-"
                + System.nanoTime()
                + ".jfr"
                + (System.getenv("CAIRN_BENCH_JFR_SETTINGS") == null
                    ? ""
                    : ",settings=" + System.getenv("CAIRN_BENCH_JFR_SETTINGS")));
      }
      if (PG != null) {
        cmd.add("-Dcairn.bench.store=" + PG);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(QueueThroughput.class.getName());
      cmd.add(mode);
      cmd.add(home.toString());
      cmd.add(Integer.toString(n));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Child c =
          new Child(
              p,
              new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
              new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
      // A JVM option may print first (a JFR recording says it started): wait for our line.
      while (!"ready".equals(c.line())) {
        // not ours
      }
      return c;
    }

    void send(String line) throws Exception {
      in.write(line + "\n");
      in.flush();
    }

    String line() throws Exception {
      String l = out.readLine();
      if (l == null) {
        throw new IllegalStateException("child ended early, exit " + process.waitFor());
      }
      return l.trim();
    }

    void exit() throws Exception {
      send("exit");
      if (process.waitFor() != 0) {
        throw new IllegalStateException("child failed, exit " + process.exitValue());
      }
    }
  }
}
