package io.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.exec.LocalProcessExecutor;
import io.cairn.spi.BlobStores;
import io.cairn.spi.ResourceExecutor;
import io.cairn.spi.ResourceExecutor.Execution;
import io.cairn.spi.ResourceExecutor.Outcome;
import io.cairn.spi.WorkSpec;
import io.cairn.testkit.RecordingAttempt;
import io.cairn.testkit.SshTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-job overhead of the SSH executor beside local-process on the same trivial scripts (docs/
 * benchmarks.md). Off by default: {@code -Dcairn.bench=true} runs it, {@code -Dcairn.bench.jobs=N}
 * sets the count (default 1,000).
 */
class SshOverheadBenchTest {
  @TempDir Path tmp;

  @Test
  void trivialScriptsFourAtATime() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("cairn.bench"), "benchmark: -Dcairn.bench=true");
    int jobs = Integer.getInteger("cairn.bench.jobs", 1000);
    try (SshTestServer server = SshTestServer.start(tmp.resolve("client"))) {
      ResourceExecutor ssh =
          SshExecutor.builder()
              .host(server.address())
              .key(server.keyFile())
              .knownHosts(server.knownHosts())
              .maxPerHost(4)
              .remoteDir(tmp.resolve("jobs").toString())
              .build();
      ResourceExecutor local = new LocalProcessExecutor(4);
      try {
        run(local, 50); // warm-up
        run(ssh, 50);
        double l = run(local, jobs);
        double s = run(ssh, jobs);
        System.out.printf(
            "BENCH %d trivial scripts, 4 at a time: local-process %.2f ms/job, ssh %.2f ms/job%n",
            jobs, l, s);
      } finally {
        ssh.close();
        local.close();
      }
    }
  }

  /** Milliseconds per job, wall clock, with four starting threads keeping the executor full. */
  private double run(ResourceExecutor ex, int jobs) throws Exception {
    Files.createDirectories(tmp.resolve("w"));
    WorkSpec.Script script = WorkSpec.Script.of(List.of("/bin/sh", "-c", "true"), Map.of(), null);
    ExecutorService starters = Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    try {
      List<Future<Outcome>> all = new java.util.ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        int n = i;
        all.add(
            starters.submit(
                () -> {
                  Execution e =
                      ex.start(
                          script,
                          new RecordingAttempt(
                              "b/" + n, null, tmp.resolve("w"), BlobStores.inMemory()));
                  return e.outcome().get(60, TimeUnit.SECONDS);
                }));
      }
      for (Future<Outcome> f : all) {
        assertThat(f.get().kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
      }
    } finally {
      starters.shutdown();
    }
    return (System.nanoTime() - t0) / 1e6 / jobs;
  }
}
