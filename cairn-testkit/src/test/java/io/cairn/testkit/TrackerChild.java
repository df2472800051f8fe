package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.durable.ProgressTracker;
import io.cairn.durable.TrackerOptions;
import java.nio.file.Path;
import java.util.Map;

/** Programs the tracker-add process tests run in child JVMs; each hangs at its end to be killed. */
public final class TrackerChild {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "add-sync-then-pending" -> {
        Cairn cairn = Cairn.open(home);
        ProgressTracker t = cairn.tracker("crawl");
        for (int i = 0; i < n; i++) {
          t.addIfAbsent("s-" + i);
        }
        t.sync();
        System.out.println("SYNCED");
        for (int i = 0; i < 500; i++) {
          t.addIfAbsent("u-" + i);
        }
        System.out.println("PENDING");
        Thread.sleep(Long.MAX_VALUE);
      }
      case "add-then-loop" -> {
        // Write-behind adds, then a loop that is killed while it holds its third key.
        Cairn cairn = Cairn.open(home);
        ProgressTracker t = cairn.tracker("crawl");
        for (int i = 0; i < n; i++) {
          t.addIfAbsent("k-" + i);
        }
        int handed = 0;
        for (String k : t.tryKeys()) {
          System.out.println("HANDED " + k);
          if (++handed == 3) {
            Thread.sleep(Long.MAX_VALUE);
          }
          t.markDone(k);
        }
      }
      case "burst" -> {
        Cairn cairn = Cairn.open(home);
        ProgressTracker t = cairn.tracker("crawl");
        for (int i = 0; i < n; i++) {
          t.addIfAbsent("b-" + i);
        }
        System.out.println("ACKED " + n);
        Thread.sleep(Long.MAX_VALUE);
      }
      case "durable-adds" -> {
        Cairn cairn = Cairn.open(home);
        ProgressTracker t = cairn.tracker("crawl", TrackerOptions.defaults().durable(true));
        for (int i = 0; i < n; i++) {
          t.addIfAbsent("d-" + i);
          System.out.println("ACK " + i);
        }
        Thread.sleep(Long.MAX_VALUE);
      }
      case "add-one" -> {
        try (Cairn cairn = Cairn.open(home)) {
          boolean added = cairn.tracker("crawl").addIfAbsent(args[3], Map.of("by", "child"));
          System.out.println("ADDED " + args[3] + " " + added);
        }
        System.out.println("CLOSED");
      }
      default -> throw new IllegalArgumentException("unknown program " + args[0]);
    }
  }
}
