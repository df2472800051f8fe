package io.cairn.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.slurm.internal.SlurmPool;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.testkit.Await;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SlurmCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slurm-specific behaviour on a real single-node Slurm: arrays, retries, time limits, scancel. */
class SlurmExecutorTest {
  @TempDir Path tmp;
  private final BlobStore blobs = BlobStores.inMemory();
  private ResourceExecutor ex;

  @BeforeAll
  static void cluster() {
    SlurmCluster.ensureRunning();
  }

  @AfterEach
  void close() {
    if (ex != null) {
      ex.close();
    }
  }

  private ResourceExecutor executor(int capacity) {
    ex =
        SlurmExecutor.builder()
            .capacity(capacity)
            .batchWindow(Duration.ofMillis(300))
            .pollInterval(Duration.ofMillis(100))
            .spool(tmp.resolve("spool"))
            .build();
    return ex;
  }

  private WorkSpec.Script script(String text, Duration timeout) {
    return WorkSpec.Script.of(
        List.of("/bin/sh", "-c", text), Map.of("SIGNALS", tmp.toString()), timeout);
  }

  private RecordingAttempt attempt(String name) throws IOException {
    return new RecordingAttempt(name, null, Files.createDirectories(tmp.resolve(name)), blobs);
  }

  @Test
  void fiveHundredJobsGoThroughFewArrays() throws Exception {
    ResourceExecutor e = executor(500);
    List<Execution> runs = new ArrayList<>();
    List<RecordingAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      RecordingAttempt a = attempt("c" + i);
      attempts.add(a);
      runs.add(e.start(script("echo job " + i, null), a));
    }
    for (int i = 0; i < 500; i++) {
      Outcome o = runs.get(i).outcome().get(120, TimeUnit.SECONDS);
      assertThat(o.kind()).as("job %d: %s", i, o.message()).isEqualTo(Outcome.Kind.SUCCEEDED);
      assertThat(attempts.get(i).lines()).containsExactly("out: job " + i);
    }
    // Started in one burst, the 500 jobs are a handful of arrays, not 500 submissions.
    assertThat(((SlurmPool) e).sbatchCalls()).isBetween(1, 10);
  }

  @Test
  void aFailedJobRunsAgainOnTheNextAttempt() throws Exception {
    ResourceExecutor e = executor(4);
    // Fails the first time (leaving a mark), succeeds the second: as a retry after a flaky node.
    String flaky =
        "if [ -f \"$SIGNALS/tried\" ]; then echo second; else touch \"$SIGNALS/tried\";"
            + " echo flaky node >&2; exit 7; fi";
    RecordingAttempt first = attempt("retry-1");
    Outcome o1 = e.start(script(flaky, null), first).outcome().get(30, TimeUnit.SECONDS);
    assertThat(o1.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(o1.exitCode()).isEqualTo(7);
    assertThat(o1.message()).contains("code 7").contains("flaky node");

    RecordingAttempt second = attempt("retry-2");
    Outcome o2 = e.start(script(flaky, null), second).outcome().get(30, TimeUnit.SECONDS);
    assertThat(o2.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(second.lines()).containsExactly("out: second");
  }

  @Test
  void aJobOverItsTimeLimitIsStoppedAndLeavesTheQueue() throws Exception {
    ResourceExecutor e = executor(4);
    Execution run =
        e.start(
            script("echo $SLURM_ARRAY_JOB_ID > \"$SIGNALS/id\"; sleep 100", Duration.ofSeconds(1)),
            attempt("slow"));
    Outcome o = run.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TIMED_OUT);
    assertThat(o.message()).contains("timed out after 1s");
    String id = Files.readString(tmp.resolve("id")).strip();
    Await.until("job gone from squeue", Duration.ofSeconds(10), () -> !queued(id));
  }

  @Test
  void cancellingALostLeaseScancelsTheJob() throws Exception {
    ResourceExecutor e = executor(4);
    Execution run =
        e.start(
            script("echo $SLURM_ARRAY_JOB_ID > \"$SIGNALS/id\"; sleep 100", null),
            attempt("leased"));
    Path idFile = tmp.resolve("id");
    Await.until("job running", Duration.ofSeconds(20), () -> Files.exists(idFile));
    String id = Files.readString(idFile).strip();
    Await.until("job listed by squeue", Duration.ofSeconds(10), () -> queued(id));

    run.cancel(); // what the engine does when the lease is lost

    assertThat(run.outcome().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    Await.until("job gone from squeue", Duration.ofSeconds(10), () -> !queued(id));
  }

  /** Whether squeue (pending and running jobs only) still lists the job. */
  private static boolean queued(String jobId) {
    try {
      Process p =
          new ProcessBuilder("squeue", "-h", "-j", jobId, "-o", "%i")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return p.exitValue() == 0 && !out.isEmpty();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
