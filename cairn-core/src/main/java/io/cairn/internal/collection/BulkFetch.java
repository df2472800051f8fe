package io.cairn.internal.collection;

import io.cairn.CairnException;
import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.collection.FetchAllResult;
import io.cairn.collection.FetchProgress;
import io.cairn.collection.FetchProgressListener;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.Engine;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.internal.engine.Names;
import io.cairn.internal.engine.WorkLoops;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fetchAll}: many resources of one collection with a few threads, at the speed of the
 * store's batched writes rather than one transaction per resource.
 *
 * <p>Each thread takes a chunk of idents, reads their records in one go, claims the ones that need
 * computing in one group-committed batch, computes them one after another, and writes their
 * outcomes in one batch. Every claimed ident's lease is held (renewed by the lease keeper) from the
 * claim's commit until the chunk's outcomes commit, so no other worker can take an ident this one
 * claimed while it is alive. Claiming a chunk before computing it keeps idents from other workers
 * that could have started them; so the chunk size adapts: about 20 ms of computing per chunk, from
 * 1 ident (slow functions) up to 2048 (trivial ones).
 */
final class BulkFetch {
  private static final long TARGET_CHUNK_NANOS = 20_000_000;
  private static final int MAX_CHUNK = 2048;
  private static final long REPORT_EVERY_NANOS = 100_000_000;
  private static final int MAX_INVALID_MESSAGES = 20;

  private final CollectionService service;
  private final CollectionService.Registered reg;
  private final Iterator<String> idents;
  private final long total;
  private final Map<String, Object> args;
  private final String argsJson;
  private final String fingerprint;
  private final int parallelism;
  private final FetchProgressListener listener;

  private final AtomicLong requested = new AtomicLong();
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final List<String> invalid = new ArrayList<>(); // guarded by itself
  private final long startNanos = System.nanoTime();
  private long lastReport; // guarded by reportLock
  private final Object reportLock = new Object();

  BulkFetch(
      CollectionService service,
      CollectionService.Registered reg,
      Iterable<String> idents,
      Map<String, Object> args,
      int parallelism,
      FetchProgressListener listener) {
    if (parallelism < 1 || parallelism > 1024) {
      throw new IllegalArgumentException("parallelism must be 1 to 1024, got " + parallelism);
    }
    this.service = service;
    this.reg = reg;
    this.idents = idents.iterator();
    this.total = idents instanceof Collection<?> c ? c.size() : -1;
    this.args = args == null ? Map.of() : Map.copyOf(args);
    this.argsJson = CollectionService.argsJson(this.args);
    this.fingerprint = Engine.fingerprint(argsJson, reg.version());
    this.parallelism = parallelism;
    this.listener = listener == null ? FetchProgressListener.none() : listener;
  }

  FetchAllResult run() {
    WorkLoops.Group fetchers =
        service.engine().loops().start("cairn-fetch", parallelism, this::work);
    try {
      fetchers.await();
    } catch (InterruptedException e) {
      fetchers.interrupt();
      Thread.currentThread().interrupt();
      throw new CairnException("fetchAll interrupted", e);
    }
    Throwable cause = fetchers.failure();
    if (cause != null) {
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CairnException("fetchAll failed: " + cause, cause);
    }
    report(true);
    synchronized (invalid) {
      return new FetchAllResult(
          requested.get(),
          computed.get(),
          cached.get(),
          failed.get(),
          skipped.get(),
          invalid,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }

  private List<String> nextChunk(int size) {
    synchronized (idents) {
      List<String> chunk = new ArrayList<>(size);
      while (chunk.size() < size && idents.hasNext()) {
        chunk.add(idents.next());
      }
      requested.addAndGet(chunk.size());
      return chunk;
    }
  }

  private void work() {
    int chunkSize = 1;
    List<String> chunk;
    while (!(chunk = nextChunk(chunkSize)).isEmpty()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CairnException("fetchAll interrupted");
      }
      long computeNanos = fetchChunk(chunk);
      int ran = Math.max(1, chunk.size());
      long perItem = Math.max(1, computeNanos / ran);
      long target = Math.max(1, Math.min(MAX_CHUNK, TARGET_CHUNK_NANOS / perItem));
      chunkSize = (int) Math.min(target, (long) chunkSize * 4);
      report(false);
    }
  }

  /** Fetches one chunk; returns the nanoseconds spent in compute functions. */
  private long fetchChunk(List<String> chunk) {
    List<String> valid = new ArrayList<>(chunk.size());
    for (String key : chunk) {
      try {
        valid.add(Names.checkKey(key));
      } catch (IllegalArgumentException e) {
        skipped.incrementAndGet();
        synchronized (invalid) {
          if (invalid.size() < MAX_INVALID_MESSAGES) {
            invalid.add(e.getMessage());
          }
        }
      }
    }
    Engine engine = service.engine();
    String c = reg.name();
    Map<String, StoredResource> found = engine.store().getAll(c, valid);
    List<String> deferred = new ArrayList<>();
    List<CompletableFuture<Void>> mine = new ArrayList<>();
    List<CollectionService.Id> ids = new ArrayList<>();
    List<StateChange> claims = new ArrayList<>();
    long now = engine.now();
    long leaseUntil = now + engine.lease().toMillis();
    for (String key : valid) {
      StoredResource r = found.get(key);
      if (r != null && CollectionService.isFinal(r, fingerprint)) {
        count(r.status());
        continue;
      }
      CollectionService.Id id = new CollectionService.Id(c, key);
      CompletableFuture<Void> f = new CompletableFuture<>();
      if (service.inFlight().putIfAbsent(id, f) != null) {
        deferred.add(key); // another thread of this process computes it; join it below
        continue;
      }
      ids.add(id);
      mine.add(f);
      claims.add(
          new Changes.Claim(c, key, engine.owner(), now, leaseUntil, argsJson, fingerprint, false));
    }
    long computeNanos = 0;
    // Held from the claim's commit until the chunk's outcomes commit, for every ident of the
    // chunk: those waiting their turn and those already computed too.
    List<LeaseKeeper.Held> held = new ArrayList<>();
    try {
      List<ChangeResult> claimed = engine.committer().apply(claims);
      List<StoredResource> running = new ArrayList<>();
      for (ChangeResult cr : claimed) {
        switch (cr.outcome()) {
          case APPLIED -> {
            running.add(cr.record());
            held.add(engine.leases().hold(c, cr.record().key(), cr.record().attempts()));
          }
          case BUSY -> deferred.add(cr.record().key());
          default -> count(cr.status());
        }
      }
      List<StoredResource> ran = new ArrayList<>();
      List<StateChange> outcomes = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < running.size(); i++) {
        StoredResource r = running.get(i);
        StateChange outcome =
            held.get(i).lost() ? null : service.run(reg, r, args, fingerprint, held.get(i));
        if (outcome == null) {
          deferred.add(r.key()); // another owner took it over; wait for its outcome below
        } else {
          ran.add(r);
          outcomes.add(outcome);
        }
      }
      computeNanos = System.nanoTime() - t0;
      held.forEach(LeaseKeeper.Held::finishing);
      List<ChangeResult> written = engine.committer().apply(outcomes);
      for (int i = 0; i < written.size(); i++) {
        countComputed(service.afterWrite(ran.get(i), written.get(i)).status());
      }
    } finally {
      held.forEach(engine.leases()::release);
      for (int i = 0; i < ids.size(); i++) {
        service.inFlight().remove(ids.get(i), mine.get(i));
        mine.get(i).complete(null);
      }
    }
    for (String key : deferred) {
      AtomicBoolean ranHere = new AtomicBoolean();
      Resource r = service.fetch(c, key, args, false, ranHere);
      if (ranHere.get()) {
        countComputed(r.status());
      } else {
        count(r.status());
      }
    }
    return computeNanos;
  }

  /** Counts a resource this fetch found finished (or that another worker finished for it). */
  private void count(Status status) {
    switch (status) {
      case COMPLETED -> cached.incrementAndGet();
      case ERROR -> failed.incrementAndGet();
      default -> skipped.incrementAndGet();
    }
  }

  /** Counts a resource whose function this fetch ran. */
  private void countComputed(Status status) {
    if (status == Status.COMPLETED) {
      computed.incrementAndGet();
    } else {
      count(status);
    }
  }

  private void report(boolean last) {
    synchronized (reportLock) {
      long now = System.nanoTime();
      if (!last && now - lastReport < REPORT_EVERY_NANOS) {
        return;
      }
      lastReport = now;
      long c = computed.get();
      long k = cached.get();
      long f = failed.get();
      long s = skipped.get();
      listener.onProgress(new FetchProgress(c + k + f + s, total, c, k, f, s, now - startNanos));
    }
  }
}
