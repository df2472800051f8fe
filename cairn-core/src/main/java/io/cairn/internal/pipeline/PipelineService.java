package io.cairn.internal.pipeline;

import io.cairn.Resource;
import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.pipeline.repo.Combinators;
import io.cairn.pipeline.JobKeys;
import io.cairn.pipeline.JobTrace;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.LinkKind;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineRunner;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.pipeline.RunOptions;
import io.cairn.pipeline.RunSummary;
import io.cairn.pipeline.TaskStatus;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A pipeline bound to one Cairn's engine: runs, status, trace, launch, remove, key sets. */
public final class PipelineService implements PipelineRunner {
  private final Pipeline pipeline;
  private final Engine engine;
  private final JobExecutor executor;
  private final Readiness readiness;

  public PipelineService(Pipeline pipeline, Engine engine) {
    this.pipeline = pipeline;
    this.engine = engine;
    this.executor = new JobExecutor(pipeline, engine);
    this.readiness = new Readiness(pipeline, engine);
    for (PipelineTask t : pipeline.tasks()) {
      if (t.script().isPresent()) {
        ScriptRunner.validate(pipeline, t);
      }
      if (t.executor().isPresent() && !engine.viewOnly()) {
        engine
            .executors()
            .check(t.executor().get(), t.script().isPresent(), "task '" + t.name() + "'");
      }
    }
  }

  Engine engine() {
    return engine;
  }

  JobExecutor executor() {
    return executor;
  }

  @Override
  public Pipeline pipeline() {
    return pipeline;
  }

  /** What a worker runs for each of this pipeline's task collections: the task's job. */
  public Map<String, io.cairn.internal.engine.QueueWorker.Job> queueJobs() {
    Map<String, io.cairn.internal.engine.QueueWorker.Job> jobs = new LinkedHashMap<>();
    for (PipelineTask t : pipeline.tasks()) {
      String name = pipeline.name() + "." + t.name();
      // Every job of a key-driven task has no parameters: one canonical form and one fingerprint
      // serve them all, instead of a JSON parse, a re-encoding and a SHA-256 per claimed job.
      JobSpec noParams = t.parameterized() ? null : JobSpec.of(pipeline, t, "template", Map.of());
      jobs.put(
          pipeline.collectionOf(t.name()),
          new io.cairn.internal.engine.QueueWorker.Job() {
            @Override
            public String name() {
              return name;
            }

            @Override
            public String version() {
              return t.version();
            }

            @Override
            public StateChange run(StoredResource claimed, LeaseKeeper.Held lease)
                throws InterruptedException {
              JobSpec spec =
                  noParams != null && noParams.argsJson().equals(claimed.argsJson())
                      ? noParams.forKey(claimed.key())
                      : JobSpec.of(
                          pipeline,
                          t,
                          claimed.key(),
                          io.cairn.internal.json.Json.readMap(claimed.argsJson()));
              return executor.run(spec, claimed, lease);
            }
          });
    }
    return jobs;
  }

  @Override
  public RunSummary run(RunOptions options) {
    return new Runner(this, options == null ? RunOptions.defaults() : options).run();
  }

  /** Names met in the tasks' repositories that break the job-key rule. */
  List<String> warnings(Set<String> tasks) {
    List<String> warnings = new ArrayList<>();
    Set<Repository> seen = new LinkedHashSet<>();
    for (String t : tasks) {
      for (Link l : pipeline.requireTask(t).links()) {
        if (seen.add(l.repository())) {
          for (String bad : l.repository().invalidKeys()) {
            warnings.add(
                l.repository().describe()
                    + ": '"
                    + bad
                    + "' is not a valid job key ("
                    + JobKeys.RULE
                    + "); it was left out");
          }
        }
      }
    }
    return warnings;
  }

  // ---------------------------------------------------------------- status and trace

  @Override
  public List<TaskStatus> status() {
    List<TaskStatus> out = new ArrayList<>();
    for (PipelineTask t : pipeline.tasks()) {
      String collection = pipeline.collectionOf(t.name());
      Stats stats = engine.store().stats(collection);
      Map<String, Long> links = new LinkedHashMap<>();
      for (Link l : t.links()) {
        links.put(l.name(), l.repository().keys().count());
      }
      long ready = 0;
      long blocked = heldBack(t).size();
      if (!t.parameterized()) {
        Iterator<String> keys = t.links(LinkKind.INPUT).get(0).repository().keys().iterator();
        while (keys.hasNext()) {
          List<JobSpec> batch = new ArrayList<>();
          while (batch.size() < 512 && keys.hasNext()) {
            batch.add(JobSpec.of(pipeline, t, keys.next(), Map.of()));
          }
          for (Readiness.Verdict v : readiness.check(t, batch, true).values()) {
            ready += v.kind() == Readiness.Kind.READY ? 1 : 0;
            blocked += v.kind() == Readiness.Kind.BLOCKED ? 1 : 0;
          }
        }
      }
      out.add(new TaskStatus(t.name(), collection, stats, ready, blocked, links));
    }
    return out;
  }

  /**
   * The jobs of {@code t} that failed jobs upstream hold back (they never reached its first input,
   * so they are not candidates): for each ERROR or ABORTED job of a task before it, the keys that
   * job's last failed attempt had written (staged) to this task's first input, or, when it wrote
   * none there, one job under the failed job's own key (what a chain of same-keyed tasks makes).
   * Keys present in the first input are candidates and counted as such. A set, so a job held back
   * by two failures counts once.
   */
  private Set<String> heldBack(PipelineTask t) {
    Set<String> keys = new TreeSet<>();
    if (t.parameterized()) {
      return keys;
    }
    Repository source = t.links(LinkKind.INPUT).get(0).repository();
    List<String> sourceNames = new ArrayList<>();
    for (Repository r : Combinators.leaves(source)) {
      sourceNames.add(r.describe());
    }
    for (String up : pipeline.graph().withUpstream(t.name())) {
      if (up.equals(t.name()) || pipeline.requireTask(up).parameterized()) {
        continue;
      }
      for (Status st : List.of(Status.ERROR, Status.ABORTED)) {
        String cursor = null;
        do {
          io.cairn.Page<String> page =
              engine.store().keys(pipeline.collectionOf(up), st, cursor, 10_000);
          for (String failed : page.items()) {
            List<String> staged = stagedFor(up, failed, sourceNames);
            keys.addAll(staged.isEmpty() ? List.of(failed) : staged);
          }
          cursor = page.nextCursor();
        } while (cursor != null);
      }
    }
    keys.removeIf(k -> !JobKeys.isValid(k) || source.contains(k));
    return keys;
  }

  /** The keys a failed job's last attempt had staged for one of {@code repos}, if recorded. */
  private List<String> stagedFor(String task, String key, List<String> repos) {
    Optional<byte[]> record;
    try {
      record = engine.blobs().getBytes(jobDirectory(task, key).resolve(JobExecutor.UNPUBLISHED));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    if (record.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Map<String, Object> byRepo =
        io.cairn.internal.json.Json.readMap(new String(record.get(), StandardCharsets.UTF_8));
    for (Map.Entry<String, Object> e : byRepo.entrySet()) {
      String repo = e.getKey();
      boolean match = repos.stream().anyMatch(r -> repo.equals(r) || repo.startsWith(r + "@"));
      if (match && e.getValue() instanceof List<?> l) {
        l.forEach(k -> out.add(String.valueOf(k)));
      }
    }
    return out;
  }

  @Override
  public List<JobTrace> trace(String jobKey) {
    JobKeys.check(jobKey);
    List<JobTrace> out = new ArrayList<>();
    for (PipelineTask t : pipeline.tasks()) {
      String collection = pipeline.collectionOf(t.name());
      Optional<StoredResource> r = engine.store().get(collection, jobKey);
      Map<String, Boolean> links = new LinkedHashMap<>();
      for (Link l : t.links()) {
        links.put(l.name(), l.repository().contains(jobKey));
      }
      Map<String, Object> params =
          r.map(x -> io.cairn.internal.json.Json.readMap(x.argsJson())).orElse(Map.of());
      JobSpec spec = JobSpec.of(pipeline, t, jobKey, params);
      Readiness.Verdict v = readiness.check(t, List.of(spec), false).get(jobKey);
      out.add(
          new JobTrace(
              t.name(),
              r.map(StoredResource::status).orElse(Status.UNAVAILABLE),
              r.map(StoredResource::attempts).orElse(0),
              r.map(StoredResource::error).map(PipelineService::firstLine).orElse(null),
              links,
              v.why()));
    }
    return out;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---------------------------------------------------------------- launch and remove

  @Override
  public Resource launch(String task, String key, Map<String, ?> params, boolean force) {
    PipelineTask t = pipeline.requireTask(task);
    JobSpec spec;
    if (t.parameterized()) {
      spec = JobSpec.ofParams(pipeline, t, params == null ? Map.of() : params);
      if (key != null && !key.equals("-") && !key.equals(spec.key())) {
        throw new IllegalArgumentException(
            "task '"
                + task
                + "' is parameterized: its job for these parameters is '"
                + spec.key()
                + "', not '"
                + key
                + "'");
      }
    } else {
      spec = JobSpec.of(pipeline, t, JobKeys.check(key), Map.of());
    }
    engine.store().registerCollection(spec.collection(), t.version());
    Readiness.Verdict own = readiness.check(t, List.of(spec), false).get(spec.key());
    if (own.kind() == Readiness.Kind.RUNNING) {
      throw new IllegalStateException("job " + task + "/" + spec.key() + " is " + own.why());
    }
    Readiness.Verdict v = readiness.checkLinks(t, spec);
    if (!force && v.kind() != Readiness.Kind.READY) {
      throw new IllegalStateException(
          "job " + task + "/" + spec.key() + " is not ready: " + v.why() + " (use --force)");
    }
    if (force) {
      engine.committer().apply(new Changes.Requeue(spec.collection(), spec.key(), engine.now()));
    }
    ChangeResult claim =
        engine
            .committer()
            .apply(
                new Changes.Claim(
                    spec.collection(),
                    spec.key(),
                    engine.owner(),
                    engine.now(),
                    engine.now() + engine.lease().toMillis(),
                    spec.argsJson(),
                    null,
                    force));
    if (!claim.applied()) {
      throw new IllegalStateException(
          "job "
              + task
              + "/"
              + spec.key()
              + " cannot be started: it is "
              + claim.status().label()
              + (claim.status() == Status.RUNNING && claim.record().owner() != null
                  ? " by " + claim.record().owner()
                  : ""));
    }
    int attempt = claim.record().attempts();
    LeaseKeeper.Held lease = engine.leases().hold(spec.collection(), spec.key(), attempt);
    try {
      StateChange outcome = executor.run(spec, claim.record(), lease);
      lease.finishing();
      ChangeResult written = outcome == null ? null : engine.committer().apply(outcome);
      StoredResource after =
          written != null && written.applied()
              ? written.record()
              : engine.store().get(spec.collection(), spec.key()).orElse(claim.record());
      return engine.layout().toResource(after);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      engine
          .committer()
          .apply(
              new Changes.Release(
                  spec.collection(), spec.key(), engine.owner(), attempt, engine.now()));
      throw new io.cairn.CairnException("launch interrupted", e);
    } finally {
      engine.leases().release(lease);
    }
  }

  @Override
  public long remove(String task, Collection<String> keys, boolean downstream) {
    pipeline.requireTask(task);
    Set<String> tasks = downstream ? pipeline.graph().withDownstream(task) : Set.of(task);
    Set<String> removed = new TreeSet<>();
    for (String k : keys) {
      JobKeys.check(k);
    }
    List<String> all = new ArrayList<>(keys);
    for (String t : tasks) {
      PipelineTask pt = pipeline.requireTask(t);
      // Status is forgotten in batches: one transaction per 1,000 jobs, not one per job.
      for (int from = 0; from < all.size(); from += 1_000) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + 1_000));
        List<io.cairn.spi.StateChange> forget = new ArrayList<>(chunk.size());
        Set<String> touched = new TreeSet<>();
        for (String k : chunk) {
          boolean any = false;
          for (Link l : pt.links(LinkKind.OUTPUT)) {
            try {
              any |= l.repository().delete(k);
            } catch (UnsupportedOperationException e) {
              // read-only outputs (a collection) keep their keys
            }
          }
          any |= deleteJobDirectory(t, k);
          if (any) {
            touched.add(k);
          }
          forget.add(new Changes.Forget(pipeline.collectionOf(t), k));
        }
        List<ChangeResult> results = engine.committer().apply(forget);
        for (int i = 0; i < chunk.size(); i++) {
          if (touched.contains(chunk.get(i)) || results.get(i).applied()) {
            removed.add(t + "/" + chunk.get(i));
          }
        }
      }
    }
    return removed.size();
  }

  @Override
  public long removeAll(String task, boolean downstream) {
    PipelineTask t = pipeline.requireTask(task);
    Set<String> keys = new LinkedHashSet<>();
    String collection = pipeline.collectionOf(task);
    for (Status s : EnumSet.complementOf(EnumSet.of(Status.UNAVAILABLE))) {
      String cursor = null;
      do {
        io.cairn.Page<String> page = engine.store().keys(collection, s, cursor, 10_000);
        keys.addAll(page.items());
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    for (Link l : t.links(LinkKind.OUTPUT)) {
      l.repository().keys().forEach(keys::add);
    }
    keys.removeIf(k -> !JobKeys.isValid(k));
    return remove(task, keys, downstream);
  }

  private boolean deleteJobDirectory(String task, String key) {
    BlobKey dir = jobDirectory(task, key);
    boolean any = false;
    try {
      for (BlobInfo b : engine.blobs().listAll(dir.value() + "/").toList()) {
        any |= engine.blobs().delete(b.key());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return any;
  }

  // ---------------------------------------------------------------- keys, links, directories

  @Override
  public Set<String> keys(String expression) {
    return new KeyExpression(expression, this::keysOf).evaluate();
  }

  private Set<String> keysOf(String task, String link) {
    PipelineTask t = pipeline.requireTask(task);
    Set<String> out = new TreeSet<>();
    if (link == null) {
      String cursor = null;
      do {
        io.cairn.Page<String> page =
            engine.store().keys(pipeline.collectionOf(task), Status.COMPLETED, cursor, 10_000);
        out.addAll(page.items());
        cursor = page.nextCursor();
      } while (cursor != null);
      return out;
    }
    Repository r = link(t.name(), link);
    r.keys().forEach(out::add);
    return out;
  }

  @Override
  public Repository link(String task, String link) {
    PipelineTask t = pipeline.requireTask(task);
    return t.link(link)
        .map(Link::repository)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "task '"
                        + task
                        + "' has no link '"
                        + link
                        + "'; links: "
                        + t.links().stream().map(Link::name).toList()));
  }

  @Override
  public BlobKey jobDirectory(String task, String key) {
    pipeline.requireTask(task);
    return executor.jobDir(task, JobKeys.check(key));
  }
}
