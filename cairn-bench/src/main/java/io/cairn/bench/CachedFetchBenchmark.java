package io.cairn.bench;

import io.cairn.Cairn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A fetch of a COMPLETED, up-to-date resource: one indexed read from SQLite and the JSON of its
 * result parsed. Sample mode, so JMH reports p50 (the figure) and the tail.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CachedFetchBenchmark {
  private Path home;
  private Cairn cairn;
  private int i;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    home = Files.createTempDirectory("cairn-bench-cached");
    cairn = Cairn.open(home);
    cairn.collection("c", (ident, args, ctx) -> Map.of("ident", ident, "size", ident.length()));
    for (int k = 0; k < 1_000; k++) {
      cairn.fetch("c", "r" + k);
    }
  }

  @Benchmark
  public Object cachedFetch() {
    i = (i + 1) % 1_000;
    return cairn.fetch("c", "r" + i).result();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cairn.close();
    Files.walk(home).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
  }
}
