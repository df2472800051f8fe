package io.cairn.internal.pipeline;

import io.cairn.CairnException;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.engine.OwnerIds;
import io.cairn.internal.engine.WorkLoops;
import io.cairn.internal.engine.WorkSpecs;
import io.cairn.pipeline.LinkKind;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskProgress;
import io.cairn.spi.ChangePage;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline. The calling thread schedules; a pool of workers runs jobs.
 *
 * <p>Each round the scheduler reads outcomes, then for every task with spare capacity pulls
 * candidate jobs (from its first input, or from the parameterized targets), decides readiness in
 * batches ({@link Readiness}), claims the ready ones in one group-committed transaction and queues
 * them for the workers. A worker takes a job, acquires its CPU and memory from the budget, runs it
 * ({@link JobExecutor}) and submits its outcome without waiting; the commit's completion comes back
 * to the scheduler as an event. When a job completes, the tasks after it look at the same key at
 * once and rescan their inputs when their current scan ends (for fan-out). Nothing in memory grows
 * with the number of jobs except the parameterized targets' dependency graph.
 */
final class Runner {
  private static final Logger log = LoggerFactory.getLogger(Runner.class);
  private static final long TARGET_QUEUE_NANOS = 20_000_000;
  private static final int MAX_PREFETCH = 1_024;
  private static final int SCAN_BATCH = 512;

  /** Jobs per task a schedule-only run keeps queued for workers. */
  private static final int QUEUE_AHEAD = 1_024;

  private final PipelineService service;
  private final Pipeline pipeline;
  private final Engine engine;
  private final RunOptions options;
  private final Readiness readiness;
  private final JobExecutor executor;
  private final Map<String, TaskState> states = new LinkedHashMap<>();
  private final BlockingQueue<Claimed> queue = new LinkedBlockingQueue<>();
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final Semaphore cpu;
  private final Semaphore memory;
  private final Targets targets;
  private int inFlight; // claimed and not yet finished (queued + running), scheduler thread only
  // Schedule-only (workers == 0): jobs this run queued for workers, until their outcome is seen.
  private final boolean scheduleOnly;
  private final Map<String, JobSpec> queuedForWorkers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private long lastReport;
  private String lastNote;

  /** A job this run claimed; its lease is held from the claim's commit to its outcome's. */
  record Claimed(JobSpec spec, StoredResource record, LeaseKeeper.Held lease) {}

  record Retry(long at, String key) implements Comparable<Retry> {
    @Override
    public int compareTo(Retry o) {
      return Long.compare(at, o.at);
    }
  }

  record Outcome(JobSpec spec, ChangeResult result, long nanos, boolean interrupted) {}

  /** Per task scheduling state; scheduler thread only, except the counters. */
  final class TaskState {
    final PipelineTask task;
    Iterator<String> scan;
    boolean rescan = true;
    final ArrayDeque<String> nudged = new ArrayDeque<>();
    final ArrayDeque<JobSpec> ready = new ArrayDeque<>();
    // Failed jobs by retry time: each is looked at again at its own time, ahead of other work, so
    // a busy upstream (which keeps the task nudged and its scan from restarting) cannot hold a
    // retry back.
    final PriorityQueue<Retry> retries = new PriorityQueue<>();
    final Set<String> retrying = new HashSet<>();
    int inFlight;
    long nextRetryAt = Long.MAX_VALUE;
    long avgNanos;
    long launched;
    long completed;
    long failed;
    long aborted;
    final AtomicInteger running = new AtomicInteger();
    long waiting;
    // progress only: jobs completed before this run (one count from the store), and keys of the
    // input seen by the current scan pass and by the largest pass so far
    final long doneBefore;
    long scanSeen;
    long seenMax;

    /** Jobs of the current scan that other live runners hold, by owner. */
    final Map<String, Integer> heldElsewhere = new LinkedHashMap<>();

    TaskState(PipelineTask task) {
      this.task = task;
      this.doneBefore = completedBefore(task);
    }

    int capacity() {
      return Math.min(scheduleOnly ? QUEUE_AHEAD : options.workers(), task.parallelism());
    }

    /**
     * Jobs to keep claimed ahead: about 20 ms of work for the task's capacity; before the first
     * job's time is known, a few per worker, so short jobs do not start one claim at a time.
     */
    int prefetch() {
      int cap = capacity();
      if (avgNanos <= 0) {
        return Math.min(task.parallelism(), cap * 8);
      }
      long n = cap * Math.max(1, TARGET_QUEUE_NANOS / avgNanos);
      return (int) Math.min(Math.min(MAX_PREFETCH, task.parallelism()), Math.max(cap, n));
    }

    /** Looks at a failed job again at {@code at}. */
    void retryAt(String key, long at) {
      if (retrying.add(key)) {
        retries.add(new Retry(at, key));
        nextRetryAt = Math.min(nextRetryAt, at);
      }
    }

    TaskProgress progress() {
      long run = running.get();
      long seen = Math.max(seenMax, scanSeen);
      // a stale job (changed version) completed before and again now counts once
      long done = seen > 0 ? Math.min(doneBefore + completed, seen) : doneBefore + completed;
      long total = Math.max(seen, done + run + waiting);
      return new TaskProgress(
          task.name(), launched, completed, failed, aborted, run, waiting, done, total);
    }
  }

  Runner(PipelineService service, RunOptions options) {
    this.service = service;
    this.pipeline = service.pipeline();
    this.engine = service.engine();
    this.options = options;
    this.readiness = new Readiness(pipeline, engine);
    this.executor = service.executor();
    Set<String> selected = selectTasks();
    for (PipelineTask t : pipeline.tasks()) {
      if (selected.contains(t.name())) {
        if (t.cpu() > options.cpus()) {
          throw new IllegalArgumentException(
              "task '" + t.name() + "' needs " + t.cpu() + " CPUs; the run has " + options.cpus());
        }
        if (options.memoryMb() > 0 && t.memoryMb() > options.memoryMb()) {
          throw new IllegalArgumentException(
              "task '"
                  + t.name()
                  + "' needs "
                  + t.memoryMb()
                  + " MiB; the run has "
                  + options.memoryMb());
        }
        states.put(t.name(), new TaskState(t));
        engine.store().registerCollection(pipeline.collectionOf(t.name()), t.version());
      }
    }
    this.cpu = new Semaphore((int) Math.round(options.cpus() * 100));
    this.memory =
        new Semaphore(
            (int)
                Math.min(
                    Integer.MAX_VALUE,
                    options.memoryMb() == 0 ? Integer.MAX_VALUE : options.memoryMb()));
    this.targets = new Targets(pipeline, readiness, engine, options, states.keySet());
    this.scheduleOnly = options.workers() == 0;
  }

  private Set<String> selectTasks() {
    Set<String> names = new LinkedHashSet<>();
    if (options.tasks().isEmpty() && options.targets().isEmpty()) {
      pipeline.tasks().forEach(t -> names.add(t.name()));
      return names;
    }
    for (String t : options.tasks()) {
      pipeline.requireTask(t);
      names.addAll(pipeline.graph().withUpstream(t));
    }
    for (RunOptions.Target t : options.targets()) {
      pipeline.requireTask(t.task());
      names.addAll(pipeline.graph().withUpstream(t.task()));
    }
    return names;
  }

  RunSummary run() {
    long start = System.nanoTime();
    // Attempts that crashed left their work and staging directories; none of them can finish now.
    executor.removeStale(states.values().stream().map(s -> s.task).toList());
    WorkLoops.Group follower =
        scheduleOnly
            ? engine
                .loops()
                .start(
                    "cairn-follow", 1, new OutcomeFollower(engine.store().changeCursor())::follow)
            : null;
    WorkLoops.Group workers = engine.loops().start("cairn-job", options.workers(), this::work);
    boolean interrupted = false;
    try {
      loop();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      workers.interrupt();
      if (follower != null) {
        follower.interrupt();
      }
      try {
        workers.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      releaseQueued();
      drainOutcomes();
      report(true);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    List<TaskProgress> progress = new ArrayList<>();
    states.values().forEach(s -> progress.add(s.progress()));
    return new RunSummary(
        progress, Duration.ofNanos(System.nanoTime() - start), service.warnings(states.keySet()));
  }

  // ---------------------------------------------------------------- scheduler

  private void loop() throws InterruptedException {
    targets.resolve(this);
    if (scheduleOnly) {
      options
          .listener()
          .onNote(
              "scheduling only: ready jobs are queued for workers (cairn worker, Cairn.work);"
                  + " this run ends when they have done them");
    }
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      drainOutcomes();
      retryDue();
      boolean moreToScan = false;
      for (TaskState s : states.values()) {
        moreToScan |= dispatch(s);
      }
      moreToScan |= targets.dispatch(this);
      report(false);
      if (inFlight > 0 || moreToScan) {
        long untilRetry = Math.max(0, nextRetryAt() - engine.now());
        Outcome o =
            outcomes.poll(
                moreToScan ? 0 : Math.min(untilRetry, options.poll().toMillis()),
                TimeUnit.MILLISECONDS);
        if (o != null) {
          handle(o);
        }
        continue;
      }
      long nextRetry = nextRetryAt();
      if (nextRetry != Long.MAX_VALUE) {
        long wait = Math.max(1, Math.min(nextRetry - engine.now(), options.poll().toMillis()));
        Outcome o = outcomes.poll(wait, TimeUnit.MILLISECONDS);
        if (o != null) {
          handle(o);
        }
        continue;
      }
      if (waitForOtherRunners()) {
        continue;
      }
      if (!options.forever()) {
        return;
      }
      Outcome o = outcomes.poll(options.poll().toMillis(), TimeUnit.MILLISECONDS);
      if (o != null) {
        handle(o);
      }
      states.values().forEach(s -> s.rescan = true);
    }
  }

  /**
   * When jobs this run would do are held by other live runners, waits a poll interval and looks
   * again, instead of ending the run with work left: they complete, or their runner is found gone
   * (on this host at once, elsewhere when its lease expires) and this run takes them over.
   */
  private boolean waitForOtherRunners() throws InterruptedException {
    Map<String, Integer> held = new LinkedHashMap<>();
    for (TaskState s : states.values()) {
      s.heldElsewhere.forEach((o, n) -> held.merge(o, n, Integer::sum));
    }
    if (held.isEmpty()) {
      return false;
    }
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Integer> e : held.entrySet()) {
      line.append(line.length() == 0 ? "" : "; ")
          .append(e.getValue())
          .append(e.getValue() == 1 ? " job" : " jobs")
          .append(" held by runner ")
          .append(OwnerIds.describe(e.getKey()));
    }
    String note = line.append(", waiting").toString();
    if (!note.equals(lastNote)) {
      lastNote = note;
      options.listener().onNote(note);
    }
    Outcome o = outcomes.poll(options.poll().toMillis(), TimeUnit.MILLISECONDS);
    if (o != null) {
      handle(o);
    }
    for (TaskState s : states.values()) {
      if (!s.heldElsewhere.isEmpty()) {
        s.heldElsewhere.clear();
        s.rescan = true;
      }
    }
    return true;
  }

  private long nextRetryAt() {
    long next = targets.nextRetryAt();
    for (TaskState s : states.values()) {
      next = Math.min(next, s.nextRetryAt);
    }
    return next;
  }

  /** Failed jobs whose backoff is over are looked at first in their task's next dispatch. */
  private void retryDue() {
    long now = engine.now();
    for (TaskState s : states.values()) {
      while (!s.retries.isEmpty() && s.retries.peek().at() <= now) {
        Retry r = s.retries.poll();
        s.retrying.remove(r.key());
        s.nudged.addFirst(r.key());
      }
      s.nextRetryAt = s.retries.isEmpty() ? Long.MAX_VALUE : s.retries.peek().at();
    }
    if (targets.nextRetryAt() <= now) {
      targets.retryDue();
    }
  }

  /** Claims ready jobs of one task up to its prefetch; returns whether it has more to do now. */
  private boolean dispatch(TaskState s) {
    if (s.task.parameterized()) {
      return false; // parameterized jobs come from targets
    }
    int room = Math.min(s.prefetch() - s.inFlight, options.workers() + MAX_PREFETCH - inFlight);
    if (room <= 0) {
      return false; // an outcome will make room
    }
    if (s.ready.size() < room) {
      List<JobSpec> candidates = new ArrayList<>();
      Repository source = s.task.links(LinkKind.INPUT).get(0).repository();
      while (!s.nudged.isEmpty() && candidates.size() < SCAN_BATCH) {
        String key = s.nudged.poll();
        if (source.contains(key)) {
          candidates.add(JobSpec.of(pipeline, s.task, key, Map.of()));
        }
      }
      if (candidates.isEmpty()) {
        if (s.scan == null && s.rescan) {
          s.rescan = false;
          s.waiting = 0;
          s.heldElsewhere.clear();
          s.scan = source.keys().iterator();
          s.scanSeen = 0;
        }
        if (s.scan != null) {
          while (candidates.size() < SCAN_BATCH && s.scan.hasNext()) {
            candidates.add(JobSpec.of(pipeline, s.task, s.scan.next(), Map.of()));
            s.scanSeen++;
          }
          if (!s.scan.hasNext()) {
            s.scan = null;
            s.seenMax = Math.max(s.seenMax, s.scanSeen);
          }
        }
      }
      if (scheduleOnly) {
        candidates.removeIf(j -> queuedForWorkers.containsKey(id(j)));
      }
      Map<String, Readiness.Verdict> verdicts = readiness.check(s.task, candidates, true);
      for (JobSpec j : candidates) {
        Readiness.Verdict v = verdicts.get(j.key());
        if (v.kind() == Readiness.Kind.READY) {
          s.ready.add(j);
        } else if (v.kind() == Readiness.Kind.BACKOFF) {
          s.retryAt(j.key(), v.retryAt());
          s.waiting++;
        } else if (v.kind() == Readiness.Kind.RUNNING && !engine.owner().equals(v.owner())) {
          s.heldElsewhere.merge(v.owner(), 1, Integer::sum);
        }
      }
    }
    int claimed = claim(s, room);
    return room - claimed > 0
        && (s.scan != null || s.rescan || !s.nudged.isEmpty() || !s.ready.isEmpty());
  }

  /** Claims up to {@code room} of the task's ready jobs in one transaction and queues them. */
  private int claim(TaskState s, int room) {
    List<JobSpec> batch = new ArrayList<>();
    while (batch.size() < room && !s.ready.isEmpty()) {
      batch.add(s.ready.poll());
    }
    return claimAndQueue(s, batch);
  }

  /** Claims jobs in one transaction and queues those claimed; returns how many. */
  int claimAndQueue(TaskState s, List<JobSpec> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    if (scheduleOnly) {
      return queueForWorkers(s, batch);
    }
    long now = engine.now();
    long leaseUntil = now + engine.lease().toMillis();
    List<StateChange> claims = new ArrayList<>(batch.size());
    for (JobSpec j : batch) {
      claims.add(
          new Changes.Claim(
              j.collection(),
              j.key(),
              engine.owner(),
              now,
              leaseUntil,
              j.argsJson(),
              j.fingerprint(),
              false));
    }
    List<ChangeResult> results = engine.committer().apply(claims);
    int claimed = 0;
    for (int i = 0; i < batch.size(); i++) {
      ChangeResult r = results.get(i);
      if (r.applied()) {
        s.inFlight++;
        s.launched++;
        inFlight++;
        claimed++;
        LeaseKeeper.Held lease =
            engine.leases().hold(r.record().collection(), r.record().key(), r.record().attempts());
        queue.add(new Claimed(batch.get(i), r.record(), lease));
      } else {
        // Claimed by another runner since this one saw it ready: wait for it like for those
        // seen running, or this run could end while that runner still holds its work.
        StoredResource held = r.record();
        if (r.outcome() == ChangeResult.Outcome.BUSY
            && held != null
            && held.owner() != null
            && !engine.owner().equals(held.owner())) {
          s.heldElsewhere.merge(held.owner(), 1, Integer::sum);
        }
        targets.notClaimed(batch.get(i), r);
      }
    }
    return claimed;
  }

  /**
   * Schedule-only: writes jobs as QUEUED resources carrying their work spec, for {@code cairn
   * worker}s to claim; returns how many are now queued or running for this run. A job is watched
   * (its id recorded) before its enqueue commits, so an outcome that follows at once is not missed.
   */
  private int queueForWorkers(TaskState s, List<JobSpec> batch) {
    long now = engine.now();
    List<StateChange> enqueues = new ArrayList<>(batch.size());
    for (JobSpec j : batch) {
      queuedForWorkers.put(id(j), j);
      enqueues.add(
          new Changes.Enqueue(
              j.collection(),
              j.key(),
              WorkSpecs.write(j.work(pipeline.name())),
              j.argsJson(),
              j.fingerprint(),
              now));
    }
    List<ChangeResult> results = engine.committer().apply(enqueues);
    int queued = 0;
    for (int i = 0; i < batch.size(); i++) {
      JobSpec j = batch.get(i);
      ChangeResult r = results.get(i);
      io.cairn.Status st = r.record() == null ? null : r.record().status();
      if (st == io.cairn.Status.QUEUED || st == io.cairn.Status.RUNNING) {
        s.inFlight++;
        s.launched += r.applied() ? 1 : 0;
        inFlight++;
        queued++;
      } else {
        queuedForWorkers.remove(id(j), j);
        targets.notClaimed(j, r);
      }
    }
    return queued;
  }

  private static String id(JobSpec j) {
    return id(j.collection(), j.key());
  }

  private static String id(String collection, String key) {
    return collection + "\n" + key;
  }

  /**
   * Schedule-only: follows the store's change cursor and turns the outcomes workers commit for jobs
   * this run queued into the same events local workers send.
   */
  private final class OutcomeFollower {
    private long cursor;

    OutcomeFollower(long cursor) {
      this.cursor = cursor;
    }

    void follow() {
      long idleMs = 1;
      while (!Thread.currentThread().isInterrupted()) {
        ChangePage page;
        try {
          page = engine.store().changesSince(cursor, 4_096);
        } catch (RuntimeException e) {
          log.warn("cannot read changes; trying again: {}", e.toString());
          page = new ChangePage(List.of(), cursor);
        }
        cursor = page.cursor();
        for (StoredResource r : page.resources()) {
          if (r.status() != io.cairn.Status.COMPLETED
              && r.status() != io.cairn.Status.ERROR
              && r.status() != io.cairn.Status.ABORTED) {
            continue;
          }
          JobSpec j = queuedForWorkers.get(id(r.collection(), r.key()));
          if (j != null && queuedForWorkers.remove(id(j), j)) {
            long nanos = Math.max(0, r.endedAt() - r.startedAt()) * 1_000_000;
            outcomes.add(new Outcome(j, ChangeResult.write(r), nanos, false));
          }
        }
        if (!page.resources().isEmpty()) {
          idleMs = 1;
          continue;
        }
        idleMs = Math.min(idleMs * 2, 100);
        try {
          Thread.sleep(idleMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  TaskState state(String task) {
    return states.get(task);
  }

  /** How many parameterized jobs the run's start looked at (tests: a finished chain reads one). */
  int visited() {
    return targets.visited();
  }

  private void drainOutcomes() {
    Outcome o;
    while ((o = outcomes.poll()) != null) {
      handle(o);
    }
  }

  private void handle(Outcome o) {
    TaskState s = states.get(o.spec().task().name());
    s.inFlight--;
    inFlight--;
    if (o.interrupted() || o.result() == null || !o.result().applied()) {
      if (!o.interrupted()) {
        s.rescan = true; // lost to another owner: look again, and wait for it if it runs
      }
      targets.onOutcome(this, o);
      return;
    }
    s.avgNanos = s.avgNanos == 0 ? o.nanos() : (s.avgNanos * 7 + o.nanos()) / 8;
    switch (o.result().status()) {
      case COMPLETED -> {
        s.completed++;
        for (String d : pipeline.graph().downstream(s.task.name())) {
          TaskState ds = states.get(d);
          if (ds != null) {
            ds.rescan = true;
            ds.nudged.add(o.spec().key());
          }
        }
      }
      case ERROR -> {
        s.failed++;
        s.retryAt(o.spec().key(), Readiness.retryAt(s.task, o.result().record()));
      }
      case ABORTED -> {
        s.failed++;
        s.aborted++;
      }
      default -> {}
    }
    targets.onOutcome(this, o);
  }

  /** The task's completed jobs in the store when the run starts: where its progress begins. */
  private long completedBefore(PipelineTask task) {
    String collection = pipeline.collectionOf(task.name());
    return engine.store().collections().contains(collection)
        ? engine.store().stats(collection).count(io.cairn.Status.COMPLETED)
        : 0;
  }

  private void report(boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastReport < 100_000_000) {
      return;
    }
    lastReport = now;
    List<TaskProgress> progress = new ArrayList<>();
    states.values().forEach(s -> progress.add(s.progress()));
    options.listener().onProgress(progress);
  }

  // ---------------------------------------------------------------- workers

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      Claimed c;
      try {
        c = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      TaskState s = states.get(c.spec().task().name());
      int cpuUnits = (int) Math.round(c.spec().task().cpu() * 100);
      int mem = options.memoryMb() == 0 ? 0 : (int) c.spec().task().memoryMb();
      try {
        cpu.acquire(cpuUnits);
        try {
          memory.acquire(mem);
        } catch (InterruptedException e) {
          cpu.release(cpuUnits);
          throw e;
        }
      } catch (InterruptedException e) {
        giveBack(c);
        return;
      }
      s.running.incrementAndGet();
      long t0 = System.nanoTime();
      try {
        StateChange outcome =
            c.lease().lost() ? null : executor.run(c.spec(), c.record(), c.lease());
        long nanos = System.nanoTime() - t0;
        if (outcome == null) {
          // The lease was lost to another owner: this attempt writes nothing.
          engine.leases().release(c.lease());
          s.running.decrementAndGet();
          outcomes.add(new Outcome(c.spec(), null, nanos, false));
          continue;
        }
        c.lease().finishing();
        engine
            .committer()
            .submit(List.of(outcome))
            .whenComplete(
                (rs, err) -> {
                  engine.leases().release(c.lease());
                  s.running.decrementAndGet();
                  outcomes.add(
                      new Outcome(c.spec(), err == null ? rs.get(0) : null, nanos, err != null));
                });
      } catch (InterruptedException e) {
        s.running.decrementAndGet();
        giveBack(c);
        return;
      } catch (RuntimeException e) {
        engine.leases().release(c.lease());
        s.running.decrementAndGet();
        outcomes.add(new Outcome(c.spec(), null, 0, true));
      } finally {
        memory.release(mem);
        cpu.release(cpuUnits);
      }
    }
  }

  /** A claimed job that will not run now: back to QUEUED so anyone may take it at once. */
  private void giveBack(Claimed c) {
    try {
      engine.giveBack(c.record());
    } finally {
      engine.leases().release(c.lease());
    }
    outcomes.add(new Outcome(c.spec(), null, 0, true));
  }

  private void releaseQueued() {
    Claimed c;
    while ((c = queue.poll()) != null) {
      giveBack(c);
    }
  }

  static CairnException stopped() {
    return new CairnException("run stopped");
  }
}
