package io.cairn.testkit;

import io.cairn.Cairn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Programs the crash and multi-process tests run in child JVMs. */
public final class CrashChild {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    switch (args[0]) {
      case "compute-then-hang" -> computeThenHang(home, Integer.parseInt(args[2]));
      case "race" -> race(home, Path.of(args[2]), Integer.parseInt(args[3]));
      case "bulk-race" -> bulkRace(home, Path.of(args[2]), Integer.parseInt(args[3]));
      case "slow-bulk-race" -> slowBulkRace(home, Path.of(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  /** Completes {@code n} resources (printing DONE i as each fetch returns), then hangs in one. */
  static void computeThenHang(Path home, int n) throws Exception {
    Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(2)).open();
    cairn.collection(
        "work",
        (ident, args, ctx) -> {
          if (ident.equals("hang")) {
            ctx.log().info("started, about to hang");
            System.out.println("COMPUTING hang");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
          }
          return Map.of("ident", ident, "len", ident.length());
        });
    for (int i = 0; i < n; i++) {
      cairn.fetch("work", "done-" + i);
      System.out.println("DONE " + i);
    }
    System.out.flush();
    cairn.fetch("work", "hang");
  }

  /** Four threads fetch the same idents in different orders; each computation is appended. */
  static void race(Path home, Path record, int idents) throws Exception {
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection(
          "race",
          (ident, args, ctx) -> {
            TextFiles.appendLine(record, ident);
            return ident;
          });
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < idents; i++) {
        keys.add("id-" + i);
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        List<String> mine = new ArrayList<>(keys);
        Collections.shuffle(mine, new Random(t + ProcessHandle.current().pid()));
        fs.add(pool.submit(() -> mine.forEach(k -> cairn.fetch("race", k))));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
    }
    System.out.println("FINISHED");
  }

  /** fetchAll over the same idents as another process; computed idents go to {@code record}. */
  static void bulkRace(Path home, Path record, int idents) throws IOException {
    Queue<String> computed = new ConcurrentLinkedQueue<>();
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection(
          "bulk",
          (ident, args, ctx) -> {
            computed.add(ident);
            return ident;
          });
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < idents; i++) {
        keys.add("b-" + i);
      }
      cairn.fetchAll("bulk", keys, Map.of(), 2);
    }
    Files.write(record, computed);
    System.out.println("FINISHED " + computed.size());
  }

  /**
   * fetchAll with a 1 s lease over idents of 5 ms, every 25th slower than the lease; each start of
   * a computation is appended to {@code record} (one short line: appends do not interleave). The
   * lease is long enough that a loaded 2-core machine's stalls (fsync, GC, the other process's
   * write lock) do not outlast it: a stall longer than the lease is a lost lease by design.
   */
  static void slowBulkRace(Path home, Path record, int idents) throws IOException {
    io.cairn.collection.FetchAllResult result;
    try (Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(1)).open()) {
      cairn.collection(
          "slow",
          (ident, args, ctx) -> {
            TextFiles.appendLine(record, ident);
            Thread.sleep(Integer.parseInt(ident.substring(2)) % 25 == 0 ? 1_300 : 5);
            return ident;
          });
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < idents; i++) {
        keys.add("s-" + i);
      }
      result = cairn.fetchAll("slow", keys, Map.of(), 4);
    }
    System.out.println("FINISHED " + result.computed());
  }
}
