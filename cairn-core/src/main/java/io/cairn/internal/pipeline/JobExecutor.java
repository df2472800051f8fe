package io.cairn.internal.pipeline;

import io.cairn.internal.engine.AttemptLog;
import io.cairn.internal.engine.AttemptRunner;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.engine.Leases;
import io.cairn.internal.engine.ResourceLogger;
import io.cairn.internal.json.Json;
import io.cairn.internal.pipeline.repo.Combinators;
import io.cairn.internal.pipeline.repo.DirectoryRepository;
import io.cairn.internal.pipeline.repo.FileRepository;
import io.cairn.internal.pipeline.repo.MetadataRepository;
import io.cairn.internal.pipeline.repo.Staging;
import io.cairn.pipeline.JobFunction;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.Pipeline;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import io.cairn.spi.BlobKey;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs one claimed job and returns the change that records its outcome: the body runs under the
 * engine's lease with the job's own log (a file only once something is logged, published beside the
 * outputs when the attempt ends: see {@link AttemptLog}), and the attempt's directory is removed. A
 * failure on the last allowed try is recorded as ABORTED.
 *
 * <p>Outputs are published on completion. The body runs with a {@link Staging} on its thread: what
 * it writes to repositories (and {@code ctx.writeOutput}, and a script's captured stdout and the
 * files it writes at its rendered {@code {{links.x}}} paths) is staged per attempt. Only when the
 * body returned, its result is valid JSON and the lease is still ours are the staged writes
 * published (renamed into place, or put), a parameterized job's {@code params.json} first (scripts
 * always; Java jobs only when they staged something); the COMPLETED record is committed right
 * after, by the caller. Any failure, cancellation or interrupt discards them, and the keys the
 * attempt had staged are recorded in the job directory ({@value #UNPUBLISHED}) so that status can
 * count the downstream jobs waiting on it. The attempt's directory is {@code
 * <home>/work/<pipeline>/<task>/<key>/<n>-<id>} ({@code work/} for {@code ctx.workDir()}, {@code
 * staged/} for data bound for blobs); a crash leaves it, and {@link #removeStale} removes it in the
 * next run.
 */
final class JobExecutor {
  /** The job-directory blob listing, per repository, the keys a failed attempt had staged. */
  static final String UNPUBLISHED = "unpublished.json";

  private final Pipeline pipeline;
  private final Engine engine;
  private final Path workRoot;
  private static final SplittableRandom SEED = new SplittableRandom();
  private static final ThreadLocal<SplittableRandom> RANDOM =
      ThreadLocal.withInitial(
          () -> {
            synchronized (SEED) {
              return SEED.split();
            }
          });

  JobExecutor(Pipeline pipeline, Engine engine) {
    this.pipeline = pipeline;
    this.engine = engine;
    this.workRoot = engine.home().resolve("work").resolve(pipeline.name());
  }

  BlobKey jobDir(String task, String key) {
    return BlobKey.of(pipeline.name(), task, key);
  }

  /**
   * Runs a claimed job whose lease the caller holds (and releases once the outcome commits). A lost
   * lease interrupts the job (a script's process tree is killed).
   *
   * @return the outcome to commit, or {@code null} when the lease was lost: another owner has the
   *     job now, and this attempt writes nothing
   * @throws InterruptedException when the run is stopping (the lease is still ours: give it back)
   */
  StateChange run(JobSpec spec, StoredResource claimed, LeaseKeeper.Held lease)
      throws InterruptedException {
    String collection = spec.collection();
    String key = spec.key();
    BlobKey dir = jobDir(spec.task().name(), key);
    Path logFile = engine.layout().paths(collection, key).log();
    ResourceLogger logger =
        new ResourceLogger(
            collection + "/" + key,
            AttemptLog.of(engine, dir.resolve("log"), logFile, claimed.attempts()),
            engine.clock());
    String attemptId = claimed.attempts() + "-" + Long.toHexString(RANDOM.get().nextLong() >>> 4);
    Path attemptDir = workRoot.resolve(spec.task().name()).resolve(key).resolve(attemptId);
    Staging staging =
        Staging.begin(
            pipeline.name() + "/" + spec.task().name() + "/" + key + "/" + attemptId,
            attemptDir.resolve("staged"));
    DefaultJobContext ctx =
        new DefaultJobContext(
            spec.task(),
            spec.job(),
            claimed.attempts(),
            logger,
            attemptDir.resolve("work"),
            engine.blobs(),
            dir,
            staging);
    if (claimed.attempts() > 1) {
      // An earlier attempt of this job may have crashed mid-way; we hold the job now, so none of
      // its directories can be in use by a live attempt. (A first attempt has none: no cost.)
      removeEarlierAttempts(spec.task(), key, attemptId);
    }
    boolean lastTry = claimed.attempts() >= spec.task().maxTries();
    return engine
        .attempts()
        .run(
            claimed,
            lease,
            spec.fingerprint(),
            lastTry,
            logger,
            new AttemptRunner.Body() {
              @Override
              public Object run() throws Exception {
                if (spec.task().function().isEmpty()) {
                  return ScriptRunner.run(pipeline, spec.task(), ctx, engine.executors());
                }
                JobFunction fn = spec.task().function().get();
                return AttemptRunner.call(
                    spec.task().executor().map(engine.executors()::get).orElse(null),
                    spec.work(pipeline.name()),
                    collection + "/" + key,
                    engine.blobs(),
                    () -> {
                      if (Staging.current() == staging) {
                        return fn.run(spec.job(), ctx);
                      }
                      // On an executor's thread: what the job writes is staged all the same.
                      staging.resume();
                      try {
                        return fn.run(spec.job(), ctx);
                      } finally {
                        staging.end();
                      }
                    });
              }

              @Override
              public void publish() throws IOException {
                staging.end();
                if (spec.task().parameterized()
                    && (spec.task().function().isEmpty() || !staging.stagedKeys().isEmpty())) {
                  // A parameterized job is known by its parameters: keep them beside its outputs,
                  // before they appear. A Java job that staged nothing has no outputs to explain
                  // (its parameters are in its record), and a chain link must not pay a durable
                  // blob write (several fsyncs) for a file nobody needs.
                  engine.blobs().putBytes(dir.resolve("params.json"), paramsJson(spec, claimed));
                }
                staging.publish();
                if (claimed.attempts() > 1) {
                  deleteQuietly(dir.resolve(UNPUBLISHED));
                }
              }

              @Override
              public void failed() {
                recordUnpublished(staging, dir, claimed);
              }

              @Override
              public String describe(Throwable t) {
                // A script's failure is its exit code and stderr; Cairn's own stack trace would
                // only hide it.
                return t instanceof ScriptFailedException
                    ? t.getMessage()
                    : AttemptRunner.stackTrace(t);
              }

              @Override
              public void cleanup() {
                staging.end();
                staging.discard();
                logger.close();
                Staging.removeTree(attemptDir);
                Staging.pruneEmpty(attemptDir.getParent());
              }
            });
  }

  /**
   * Records which keys a failed attempt had staged, per repository, so that status counts the
   * downstream jobs it holds back; removes an older record when it staged none.
   */
  private void recordUnpublished(Staging staging, BlobKey dir, StoredResource claimed) {
    Map<String, List<String>> keys = staging.stagedKeys();
    try {
      if (!keys.isEmpty()) {
        engine
            .blobs()
            .putBytes(
                dir.resolve(UNPUBLISHED),
                (Json.write(keys) + "\n").getBytes(StandardCharsets.UTF_8));
      } else if (claimed.attempts() > 1) {
        engine.blobs().delete(dir.resolve(UNPUBLISHED));
      }
    } catch (IOException | RuntimeException e) {
      // bookkeeping for status only; the job's outcome is what matters
    }
  }

  private void deleteQuietly(BlobKey key) {
    try {
      engine.blobs().delete(key);
    } catch (IOException | RuntimeException e) {
      // a stale record of a job that has since completed is never read
    }
  }

  /**
   * Removes the attempt directories (work directories, and staging directories beside the local
   * repositories the tasks link) of attempts that can no longer finish: those whose job is not
   * RUNNING under a live lease with that attempt number. Called when a run starts; a crashed
   * process leaves them behind.
   *
   * @return how many were removed
   */
  int removeStale(Collection<PipelineTask> tasks) {
    Map<String, Map<String, List<Path>>> found = new LinkedHashMap<>(); // task -> key -> dirs
    Set<Path> repoDirs = new LinkedHashSet<>();
    for (PipelineTask t : tasks) {
      collectAttempts(workRoot.resolve(t.name()), t.name(), found);
      repoDirs.addAll(stagingRoots(t));
    }
    for (Path stagingRoot : repoDirs) {
      for (PipelineTask t : tasks) {
        collectAttempts(stagingRoot.resolve(t.name()), t.name(), found);
      }
    }
    for (Path stagingRoot : repoDirs) {
      // <repo dir>/.staging/<pipeline>: files staged beside their keys sit in <repo dir> itself.
      collectSiblings(stagingRoot.getParent().getParent(), tasks, found);
    }
    int removed = 0;
    long now = engine.now();
    for (Map.Entry<String, Map<String, List<Path>>> e : found.entrySet()) {
      Map<String, StoredResource> records =
          engine
              .store()
              .getAll(pipeline.collectionOf(e.getKey()), new ArrayList<>(e.getValue().keySet()));
      for (Map.Entry<String, List<Path>> k : e.getValue().entrySet()) {
        StoredResource r = records.get(k.getKey());
        for (Path attempt : k.getValue()) {
          if (!live(r, attempt, now)) {
            Staging.removeTree(attempt);
            if (!attempt.getFileName().toString().startsWith(Staging.SIBLING_PREFIX)) {
              Staging.pruneEmpty(attempt.getParent()); // a key's directory, never a repository's
            }
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** The pipeline's staging directories beside the local repositories a task links. */
  private Set<Path> stagingRoots(PipelineTask t) {
    Set<Path> out = new LinkedHashSet<>();
    for (Link l : t.links()) {
      for (Repository r : Combinators.leaves(l.repository())) {
        Path d =
            r instanceof FileRepository f
                ? f.dir()
                : r instanceof DirectoryRepository dr
                    ? dr.dir()
                    : r instanceof MetadataRepository m ? m.dir() : null;
        if (d != null) {
          out.add(d.resolve(Staging.DIR).resolve(pipeline.name()));
        }
      }
    }
    return out;
  }

  /** Removes the directories of this job's attempts other than {@code own}. */
  private void removeEarlierAttempts(PipelineTask task, String key, String own) {
    List<Path> keyDirs = new ArrayList<>();
    keyDirs.add(workRoot.resolve(task.name()).resolve(key));
    for (Path root : stagingRoots(task)) {
      keyDirs.add(root.resolve(task.name()).resolve(key));
    }
    for (Path keyDir : keyDirs) {
      if (!Files.isDirectory(keyDir)) {
        continue;
      }
      try (DirectoryStream<Path> attempts = Files.newDirectoryStream(keyDir)) {
        for (Path a : attempts) {
          if (!a.getFileName().toString().equals(own)) {
            Staging.removeTree(a);
          }
        }
      } catch (IOException e) {
        // best effort: the next run's sweep removes what is left
      }
    }
  }

  private static boolean live(StoredResource r, Path attempt, long now) {
    if (r == null || r.status() != io.cairn.Status.RUNNING || !Leases.live(r, now)) {
      return false;
    }
    String name = attempt.getFileName().toString();
    if (name.startsWith(Staging.SIBLING_PREFIX)) {
      name = name.split("#", -1)[4]; // .tmp-staged#<pipeline>#<task>#<key>#<n>-<id>#<file>
    }
    int dash = name.indexOf('-');
    return dash > 0 && name.substring(0, dash).equals(Integer.toString(r.attempts()));
  }

  /** Adds files of this pipeline's tasks staged beside their keys in {@code repoDir}. */
  private void collectSiblings(
      Path repoDir, Collection<PipelineTask> tasks, Map<String, Map<String, List<Path>>> found) {
    Set<String> names = new HashSet<>();
    tasks.forEach(t -> names.add(t.name()));
    String prefix = Staging.SIBLING_PREFIX + pipeline.name() + "#";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(repoDir, prefix + "*")) {
      for (Path f : files) {
        String[] parts = f.getFileName().toString().split("#", -1);
        if (parts.length >= 6 && names.contains(parts[2])) {
          found
              .computeIfAbsent(parts[2], x -> new LinkedHashMap<>())
              .computeIfAbsent(parts[3], x -> new ArrayList<>())
              .add(f);
        }
      }
    } catch (IOException e) {
      // best effort: what cannot be listed now is looked at in the next run
    }
  }

  /** Adds {@code <root>/<key>/<attempt>} directories to {@code found}. */
  private static void collectAttempts(
      Path root, String task, Map<String, Map<String, List<Path>>> found) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> keys = Files.newDirectoryStream(root)) {
      for (Path keyDir : keys) {
        if (!Files.isDirectory(keyDir)) {
          continue;
        }
        try (DirectoryStream<Path> attempts = Files.newDirectoryStream(keyDir)) {
          for (Path a : attempts) {
            found
                .computeIfAbsent(task, x -> new LinkedHashMap<>())
                .computeIfAbsent(keyDir.getFileName().toString(), x -> new ArrayList<>())
                .add(a);
          }
        }
      }
    } catch (IOException e) {
      // best effort: what cannot be listed now is looked at in the next run
    }
  }

  private static byte[] paramsJson(JobSpec spec, StoredResource claimed) {
    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("task", spec.task().name());
    doc.put("job", spec.key());
    doc.put("params", spec.job().params());
    doc.put("attempt", claimed.attempts());
    return (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
