package io.cairn.bench;

import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangePage;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The change cursor on a SQLite home: reading every change of a home with at least N changes in
 * pages ({@code changesSince(cursor, page)} from 0 to the end), and a follower keeping up with a
 * writer that commits as fast as it can (batches of 1,024 new queued resources, in another thread
 * with its own store connections): the writer's rate, how far behind the follower is after each of
 * its looks, and how long it needs to catch up once the writer stops. The home is built once (each
 * resource written once, a change each) and kept in {@code /tmp/cairn-bench-changes-<N>} for
 * reruns; the follow phase adds to it.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.ChangeCursorThroughput
 * [changes=1000000] [page=4096] [runs=3] [followSeconds=5]}
 */
public final class ChangeCursorThroughput {
  private static final String WORK = "{\"call\":\"noop\",\"args\":{},\"cpus\":1,\"memory\":0}";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int page = args.length > 1 ? Integer.parseInt(args[1]) : 4_096;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int followSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    if (n < 1 || page < 1 || page > 100_000 || runs < 1 || followSeconds < 1) {
      throw new IllegalArgumentException(
          "usage: ChangeCursorThroughput [changes >= 1] [page 1..100000] [runs >= 1]"
              + " [followSeconds >= 1]");
    }
    System.out.println(Floor.measure());
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "cairn-bench-changes-" + n);
    Files.createDirectories(home);
    Path db = home.resolve("cairn.db");
    try (StateStore store = StateStores.sqlite(db)) {
      if (store.changeCursor() < n) {
        long t0 = System.nanoTime();
        write(store, "item-", 0, n, 4_096);
        System.out.printf("built %,d changes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      }
    }
    double[] rates = new double[runs];
    for (int run = 0; run < runs; run++) {
      try (StateStore store = StateStores.sqlite(db)) {
        long t0 = System.nanoTime();
        long cursor = 0;
        long seen = 0;
        while (true) {
          ChangePage p = store.changesSince(cursor, page);
          if (p.resources().isEmpty()) {
            break;
          }
          seen += p.resources().size();
          cursor = p.cursor();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        rates[run] = seen / s;
        System.out.printf(
            "run %d: read %,d changes in pages of %,d in %.2f s = %,.0f changes/s (fresh store)%n",
            run + 1, seen, page, s, rates[run]);
      }
    }
    System.out.printf(
        "changesSince over the whole cursor: median %,.0f changes/s (min %,.0f, max %,.0f)%n",
        Bench.median(rates), min(rates), max(rates));
    follow(db, page, followSeconds);
  }

  /** A writer at full speed in one thread, a follower in this one; prints the lag. */
  private static void follow(Path db, int page, int seconds) throws Exception {
    String prefix = "live-" + System.currentTimeMillis() + "-";
    AtomicLong written = new AtomicLong(); // the writer's last committed change number
    AtomicLong writes = new AtomicLong();
    AtomicLong writerEnd = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    try (StateStore writerStore = StateStores.sqlite(db);
        StateStore readerStore = StateStores.sqlite(db)) {
      long cursor = readerStore.changeCursor();
      written.set(cursor);
      Thread writer =
          new Thread(
              () -> {
                int i = 0;
                while (System.nanoTime() < deadline) {
                  List<ChangeResult> rs = write(writerStore, prefix, i, i + 1_024, 1_024);
                  i += 1_024;
                  writes.addAndGet(rs.size());
                  written.set(rs.get(rs.size() - 1).record().changeSeq());
                }
                writerEnd.set(System.nanoTime());
              },
              "bench-writer");
      long t0 = System.nanoTime();
      writer.start();
      List<Long> lags = new ArrayList<>();
      long seen = 0;
      long polls = 0;
      long caughtUpNanos = 0;
      while (true) {
        ChangePage p = readerStore.changesSince(cursor, page);
        polls++;
        seen += p.resources().size();
        cursor = p.cursor();
        long behind = written.get() - cursor;
        if (writer.isAlive()) {
          lags.add(Math.max(0, behind));
        } else if (behind <= 0 && p.resources().isEmpty()) {
          caughtUpNanos = System.nanoTime();
          break;
        }
        if (p.resources().isEmpty()) {
          Thread.sleep(1); // a live view polls; at the head there is nothing to read yet
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double writerRate = writes.get() / ((writerEnd.get() - t0) / 1e9);
      long[] l = lags.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(l);
      System.out.printf(
          "follow: writer committed %,d changes in %.2f s = %,.0f changes/s (batches of 1,024);"
              + " follower read %,d in %,d looks over %.2f s%n",
          writes.get(), (writerEnd.get() - t0) / 1e9, writerRate, seen, polls, s);
      System.out.printf(
          "  lag behind the writer's last commit after each look: median %,d changes (%.1f ms of"
              + " writing), p99 %,d, max %,d; caught up %.1f ms after the writer's last batch%n",
          l.length == 0 ? 0 : l[l.length / 2],
          l.length == 0 ? 0 : l[l.length / 2] / writerRate * 1e3,
          l.length == 0 ? 0 : l[(int) (l.length * 0.99)],
          l.length == 0 ? 0 : l[l.length - 1],
          Math.max(0, (caughtUpNanos - writerEnd.get()) / 1e6));
    }
  }

  private static List<ChangeResult> write(
      StateStore store, String prefix, int from, int to, int batchSize) {
    List<ChangeResult> last = List.of();
    List<StateChange> batch = new ArrayList<>(batchSize);
    long now = store.now();
    for (int i = from; i < to; i++) {
      batch.add(new Changes.Enqueue("changes", prefix + i, WORK, "{}", null, now));
      if (batch.size() == batchSize || i == to - 1) {
        last = store.apply(batch);
        batch.clear();
      }
    }
    return last;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }
}
