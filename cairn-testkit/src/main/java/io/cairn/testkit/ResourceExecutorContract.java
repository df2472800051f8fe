package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ResourceExecutor} passes, with real work: a subclass says how to make
 * one with a given capacity and which kind of {@link WorkSpec} it runs (a script executor runs
 * {@code /bin/sh} commands; a Java executor calls the attempt's body), and inherits the tests.
 * Scripts use {@code sh}, {@code sleep}, {@code head} and {@code tr}.
 */
public abstract class ResourceExecutorContract {
  private static final Duration PROMPT = Duration.ofSeconds(5);

  @TempDir protected Path tmp;
  private final List<ResourceExecutor> made = new ArrayList<>();
  private final BlobStore blobs = BlobStores.inMemory();

  /** A new executor running at most {@code capacity} attempts at once. */
  protected abstract ResourceExecutor newExecutor(int capacity);

  /** Whether it runs {@link WorkSpec.Script}s (else {@link WorkSpec.Call}s). */
  protected abstract boolean runsScripts();

  @AfterEach
  void closeExecutors() {
    made.forEach(ResourceExecutor::close);
  }

  private ResourceExecutor executor(int capacity) {
    ResourceExecutor e = newExecutor(capacity);
    made.add(e);
    return e;
  }

  private RecordingAttempt attempt(String name, Callable<Object> body) {
    return new RecordingAttempt(name, body, tmp, blobs);
  }

  /**
   * A shell script. It writes the files the test watches (pids, start gates) under {@code
   * $SIGNALS}, the test's directory by absolute path, so they land there also when the executor
   * runs the script in a working directory of its own (a remote executor on this machine).
   */
  private WorkSpec.Script script(String text, Duration timeout) {
    return WorkSpec.Script.of(
        List.of("/bin/sh", "-c", text),
        Map.of("SIGNALS", tmp.toAbsolutePath().toString()),
        timeout);
  }

  private static WorkSpec.Call call() {
    return new WorkSpec.Call("contract:fn", "{}", null);
  }

  private static Outcome await(Execution e, Duration within) throws Exception {
    return e.outcome().get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private long pidIn(String file) throws Exception {
    Path p = tmp.resolve(file);
    Await.until(file + " written", PROMPT, () -> Files.exists(p) && size(p) > 0);
    return Long.parseLong(Files.readString(p).strip());
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Test
  void succeedsWithTheValueOrExitZero() throws Exception {
    ResourceExecutor ex = executor(2);
    RecordingAttempt a = attempt("c/ok", () -> "the value");
    Outcome o = await(ex.start(runsScripts() ? script("echo hello", null) : call(), a), PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    if (runsScripts()) {
      assertThat(o.exitCode()).isZero();
      assertThat(a.lines()).containsExactly("out: hello");
    } else {
      assertThat(o.value()).isEqualTo("the value");
    }
  }

  @Test
  void failureCarriesTheMessageAndTheCause() throws Exception {
    ResourceExecutor ex = executor(2);
    IllegalStateException boom = new IllegalStateException("boom: bad input");
    RecordingAttempt a =
        attempt(
            "c/bad",
            () -> {
              throw boom;
            });
    Outcome o =
        await(
            ex.start(
                runsScripts()
                    ? script("echo first >&2; echo last words >&2; exit 3", null)
                    : call(),
                a),
            PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    if (runsScripts()) {
      assertThat(o.exitCode()).isEqualTo(3);
      assertThat(o.message()).contains("code 3").contains("first\nlast words");
    } else {
      assertThat(o.message()).isEqualTo("boom: bad input");
      assertThat(o.error()).isSameAs(boom);
    }
  }

  @Test
  void timeoutKillsTheWholeTreeIncludingAGrandchild() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsScripts(), "only scripts have a timeout");
    ResourceExecutor ex = executor(2);
    Execution e =
        ex.start(
            script(
                "sh -c 'sleep 100 & echo $! > \"$SIGNALS/grandchild.pid\"; sleep 100'",
                Duration.ofMillis(700)),
            attempt("c/slow", null));
    long grandchild = pidIn("grandchild.pid");
    assertThat(alive(grandchild)).isTrue();

    Outcome o = await(e, PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.TIMED_OUT);
    assertThat(o.message()).contains("timed out after 700ms");
    Await.until("the grandchild killed", PROMPT, () -> !alive(grandchild));
  }

  @Test
  void cancelMidRunIsPromptAndStopsTheWork() throws Exception {
    ResourceExecutor ex = executor(2);
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    RecordingAttempt a =
        attempt(
            "c/long",
            () -> {
              running.countDown();
              try {
                Thread.sleep(100_000);
              } catch (InterruptedException ie) {
                interrupted.set(true);
                throw ie;
              }
              return "not cancelled";
            });
    Execution e =
        ex.start(
            runsScripts()
                ? script(
                    "sh -c 'sleep 100 & echo $! > \"$SIGNALS/grandchild.pid\"; sleep 100'", null)
                : call(),
            a);
    long grandchild = -1;
    if (runsScripts()) {
      grandchild = pidIn("grandchild.pid");
    } else {
      assertThat(running.await(PROMPT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    long t0 = System.nanoTime();
    e.cancel();
    e.cancel(); // idempotent
    Outcome o = await(e, PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.CANCELLED);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(PROMPT);
    if (runsScripts()) {
      long gc = grandchild;
      Await.until("the grandchild killed", PROMPT, () -> !alive(gc));
    } else {
      assertThat(interrupted).isTrue();
    }
  }

  /** Work that starts, says so, and ends only when its gate opens. */
  private final class Gated {
    final int id;
    final CountDownLatch gate = new CountDownLatch(1);
    final RecordingAttempt attempt;
    final WorkSpec work;

    Gated(int id, Runnable onStart) {
      this(id, onStart, () -> {});
    }

    /**
     * {@code onEnd} runs when the body is through its gate and about to end: inside the body for a
     * call, on its last output line for a script — either way before the executor can free the
     * slot, which an outcome callback registered after {@code start} returned cannot promise.
     */
    Gated(int id, Runnable onStart, Runnable onEnd) {
      this.id = id;
      this.attempt =
          attempt(
              "c/" + id,
              () -> {
                onStart.run();
                gate.await();
                onEnd.run();
                return id;
              });
      if (runsScripts()) {
        java.util.concurrent.atomic.AtomicInteger lines =
            new java.util.concurrent.atomic.AtomicInteger();
        attempt.onLine(() -> (lines.incrementAndGet() == 1 ? onStart : onEnd).run());
        work =
            script(
                "echo started; while [ ! -f \"$SIGNALS/go."
                    + id
                    + "\" ]; do sleep 0.02; done; echo ended",
                null);
      } else {
        work = call();
      }
    }

    void open() throws Exception {
      if (runsScripts()) {
        Files.createFile(tmp.resolve("go." + id));
      }
      gate.countDown();
    }
  }

  @Test
  void capacityBoundsWhatRunsAtOnceUnderTwentyConcurrentStarts() throws Exception {
    int capacity = 3;
    ResourceExecutor ex = executor(capacity);
    assertThat(ex.capacity()).isEqualTo(capacity);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Queue<Gated> toOpen = new ConcurrentLinkedQueue<>();
    List<Gated> all = new ArrayList<>();
    List<Execution> executions = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> starters = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Gated[] self = new Gated[1];
      Gated g =
          new Gated(
              i,
              () -> {
                int now = started.incrementAndGet() - ended.get();
                maxRunning.accumulateAndGet(now, Math::max);
                toOpen.add(self[0]);
              },
              ended::incrementAndGet);
      self[0] = g;
      all.add(g);
      Thread t =
          new Thread(
              () -> {
                Execution e = ex.start(g.work, g.attempt);
                // Registered after start returned: it may run after the slot was freed, so only
                // the count of outcomes, not the running count, comes from it.
                e.outcome().whenComplete((o, x) -> finished.incrementAndGet());
                executions.add(e);
              });
      starters.add(t);
      t.start();
    }
    Await.until("capacity-many started", PROMPT, () -> started.get() == capacity);
    assertThat(finished.get()).isZero();
    assertThat(executions.size()).isLessThanOrEqualTo(capacity);

    while (finished.get() < 20) {
      Gated g = toOpen.poll();
      if (g != null) {
        g.open();
      } else {
        Thread.sleep(5);
      }
    }
    for (Thread t : starters) {
      t.join(PROMPT.toMillis());
    }
    assertThat(executions).hasSize(20);
    for (Execution e : executions) {
      assertThat(await(e, PROMPT).kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    }
    assertThat(maxRunning.get()).isEqualTo(capacity);
    assertThat(started.get()).isEqualTo(20);
  }

  @Test
  void closeCancelsWhatRuns() throws Exception {
    ResourceExecutor ex = newExecutor(4);
    AtomicInteger running = new AtomicInteger();
    Gated a = new Gated(1, running::incrementAndGet);
    Gated b = new Gated(2, running::incrementAndGet);
    Execution ea = ex.start(a.work, a.attempt);
    Execution eb = ex.start(b.work, b.attempt);
    Await.until("both running", PROMPT, () -> running.get() == 2);

    ex.close();

    assertThat(await(ea, PROMPT).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    assertThat(await(eb, PROMPT).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    Outcome late = await(ex.start(a.work, attempt("c/late", () -> "x")), PROMPT);
    assertThat(late.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(late.message()).contains("closed");
  }

  @Test
  void refusesTheOtherKindOfWorkSayingWhy() throws Exception {
    ResourceExecutor ex = executor(1);
    WorkSpec other = runsScripts() ? call() : script("echo never > ran", null);
    Outcome o = await(ex.start(other, attempt("c/other", () -> "never")), PROMPT);

    assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o.message())
        .contains(runsScripts() ? "Java function" : "script")
        .contains("c/other");
    assertThat(tmp.resolve("ran")).doesNotExist();
  }

  @Test
  void largeOutputDoesNotStall() throws Exception {
    ResourceExecutor ex = executor(1);
    int bytes = 20_000_000;
    RecordingAttempt a = attempt("c/big", () -> "x".repeat(bytes));
    Outcome o =
        await(
            ex.start(
                runsScripts()
                    ? script("head -c " + bytes + " /dev/zero | tr '\\0' x | fold -w 100", null)
                    : call(),
                a),
            Duration.ofSeconds(60));

    assertThat(o.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    if (runsScripts()) {
      assertThat(a.chars()).isEqualTo(bytes);
    } else {
      assertThat((String) o.value()).hasSize(bytes);
    }
  }

  @Test
  void scriptsStageInputsInAndOutputsOutOnlyAfterExitZero() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsScripts(), "only scripts stage files");
    ResourceExecutor ex = executor(2);
    blobs.putBytes(new BlobKey("in/data"), "abc\n".getBytes());
    List<WorkSpec.Transfer> in = List.of(new WorkSpec.Transfer(new BlobKey("in/data"), "d/in.txt"));
    List<WorkSpec.Transfer> out =
        List.of(new WorkSpec.Transfer(new BlobKey("out/result"), "out.txt"));
    WorkSpec.Stdin stdin = new WorkSpec.Stdin.Text("from stdin\n");
    Path errFile = tmp.resolve("err.txt");

    Outcome ok =
        await(
            ex.start(
                new WorkSpec.Script(
                    List.of("/bin/sh", "-c", "cat d/in.txt - > out.txt; echo $GREETING >&2"),
                    Map.of("GREETING", "hi"),
                    null,
                    stdin,
                    null,
                    errFile,
                    in,
                    out,
                    null,
                    null),
                attempt("c/files", null)),
            PROMPT);
    assertThat(ok.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(new String(blobs.getBytes(new BlobKey("out/result")).orElseThrow()))
        .isEqualTo("abc\nfrom stdin\n");
    assertThat(Files.readString(errFile)).isEqualTo("hi\n");

    List<WorkSpec.Transfer> out2 = List.of(new WorkSpec.Transfer(new BlobKey("out/failed"), "o2"));
    Outcome failed =
        await(
            ex.start(
                new WorkSpec.Script(
                    List.of("/bin/sh", "-c", "echo partial > o2; exit 1"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    out2,
                    null,
                    null),
                attempt("c/fails", null)),
            PROMPT);
    assertThat(failed.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(blobs.exists(new BlobKey("out/failed"))).isFalse();
  }
}
