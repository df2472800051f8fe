package io.cairn.internal.pipeline;

import io.cairn.internal.collection.CollectionService;
import io.cairn.internal.collection.ResourceLogger;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.json.Json;
import io.cairn.pipeline.Pipeline;
import io.cairn.spi.BlobKey;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.event.Level;

/**
 * Runs one claimed job and returns the change that records its outcome: a parameterized job's
 * {@code params.json} is written to its directory in the blob store first, the body runs under the
 * engine's lease with the job's own log (a file only once something is logged), the log is copied
 * beside the outputs, and the work directory is removed. A failure on the last allowed try is
 * recorded as ABORTED.
 */
final class JobExecutor {
  private final Pipeline pipeline;
  private final Engine engine;
  private final CollectionService collections;
  private final Path workRoot;

  JobExecutor(Pipeline pipeline, Engine engine, CollectionService collections) {
    this.pipeline = pipeline;
    this.engine = engine;
    this.collections = collections;
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
    Path logFile = collections.paths(collection, key).log();
    ResourceLogger logger = new ResourceLogger(collection + "/" + key, logFile, engine.clock());
    DefaultJobContext ctx =
        new DefaultJobContext(
            spec.task(),
            spec.job(),
            claimed.attempts(),
            logger,
            workRoot.resolve(spec.task().name()),
            engine.blobs(),
            dir);
    long start = engine.now();
    Thread running = Thread.currentThread();
    lease.onLost(running::interrupt);
    try {
      if (spec.task().parameterized()) {
        // A parameterized job is known by its parameters: keep them beside its outputs. (A
        // repository-driven job is known by its key; nothing more to record, and trivial jobs
        // must not pay for a file each.)
        engine.blobs().putBytes(dir.resolve("params.json"), paramsJson(spec, claimed));
      }
      Object result =
          spec.task().function().isPresent()
              ? spec.task().function().get().run(spec.job(), ctx)
              : ScriptRunner.run(pipeline, spec.task(), ctx);
      lease.onLost(null);
      if (lease.lost()) {
        return cancelled(logger);
      }
      String json;
      try {
        json = Json.writeResult(result, engine.maxResultBytes());
      } catch (IllegalArgumentException e) {
        logger.note(Level.ERROR, "result not stored: " + e.getMessage(), null);
        return fail(spec, claimed, "result not stored: " + e.getMessage(), start);
      }
      return new Changes.Complete(
          collection,
          key,
          engine.owner(),
          claimed.attempts(),
          json,
          spec.fingerprint(),
          start,
          engine.now());
    } catch (InterruptedException e) {
      lease.onLost(null);
      if (lease.lost()) {
        return cancelled(logger);
      }
      logger.note(Level.WARN, "interrupted: the run is stopping", null);
      throw e;
    } catch (Throwable t) {
      lease.onLost(null);
      if (lease.lost()) {
        return cancelled(logger);
      }
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
      logger.note(Level.ERROR, "failed", t);
      // A script's failure is its exit code and stderr; Cairn's own stack trace would only hide it.
      String error =
          t instanceof ScriptFailedException ? t.getMessage() : CollectionService.stackTrace(t);
      return fail(spec, claimed, error, start);
    } finally {
      logger.close();
      copyLog(logFile, dir);
      removeTree(ctx.createdWorkDir());
    }
  }

  private StateChange fail(JobSpec spec, StoredResource claimed, String error, long start) {
    boolean last = claimed.attempts() >= spec.task().maxTries();
    return new Changes.Fail(
        spec.collection(),
        spec.key(),
        engine.owner(),
        claimed.attempts(),
        error,
        start,
        engine.now(),
        last);
  }

  /** The job lost its lease: clear the interrupt meant for it and write nothing. */
  private static StateChange cancelled(ResourceLogger logger) {
    Thread.interrupted();
    logger.note(Level.WARN, "cancelled: the lease was lost to another owner", null);
    return null;
  }

  private static byte[] paramsJson(JobSpec spec, StoredResource claimed) {
    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("task", spec.task().name());
    doc.put("job", spec.key());
    doc.put("params", spec.job().params());
    doc.put("attempt", claimed.attempts());
    return (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private void copyLog(Path logFile, BlobKey dir) {
    try {
      if (Files.isRegularFile(logFile)) {
        try (var in = Files.newInputStream(logFile)) {
          engine.blobs().put(dir.resolve("log"), in);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The log stays readable with cairn log; the copy is a convenience next to the outputs.
    }
  }

  private static void removeTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover work directory is harmless
    }
  }
}
