package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.durable.DurableMap;
import io.cairn.durable.MapOptions;
import io.cairn.durable.ProgressTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Programs the durable-map and tracker process tests run in child JVMs. */
public final class DurableChild {
  static final MapOptions NO_AUTO_SYNC =
      MapOptions.defaults().syncAt(10_000_000).syncEvery(Duration.ofHours(1));

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    switch (args[0]) {
      case "merge" -> {
        try (Cairn cairn = Cairn.open(home)) {
          DurableMap<Integer> m = cairn.map("counts", Integer.class);
          for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            m.merge("n", 1, Integer::sum);
          }
        }
        System.out.println("FINISHED");
      }
      case "put-then-hang" -> {
        Cairn cairn = Cairn.open(home);
        DurableMap<Object> m = cairn.map("pod", Object.class, NO_AUTO_SYNC);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          m.set("s-" + i, i);
        }
        m.sync();
        System.out.println("SYNCED");
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
          m.set("u-" + i, i);
        }
        System.out.println("PENDING");
        Thread.sleep(Long.MAX_VALUE);
      }
      case "burst" -> {
        // N sets on the write-behind defaults, as fast as set() returns, then hang to be killed.
        Cairn cairn = Cairn.open(home);
        DurableMap<Object> m = cairn.map("burst");
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) {
          m.set("b-" + i, i);
          if ((i + 1) % 10_000 == 0) {
            System.out.println("ACK " + (i + 1));
          }
        }
        System.out.println("ACKED " + n);
        Thread.sleep(Long.MAX_VALUE);
      }
      case "slow-compute" -> {
        // A compute function that waits (up to 10 s) for the parent to create a file.
        Path release = Path.of(args[2]);
        try (Cairn cairn = Cairn.open(home)) {
          DurableMap<Integer> m = cairn.map("m", Integer.class);
          m.compute(
              "slow",
              (k, v) -> {
                System.out.println("IN FUNCTION");
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!Files.exists(release) && System.nanoTime() < deadline) {
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
                return 1;
              });
        }
        System.out.println("COMPUTED");
      }
      case "durable-puts" -> {
        Cairn cairn = Cairn.open(home);
        DurableMap<Object> m = cairn.map("pod", Object.class, MapOptions.defaults().durable(true));
        for (int i = 0; ; i++) {
          m.put("d-" + i, i);
          System.out.println("ACK " + i);
        }
      }
      case "pending-then-wait" -> {
        Cairn cairn = Cairn.open(home);
        DurableMap<Object> m = cairn.map("pod", Object.class, NO_AUTO_SYNC);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          m.set("t-" + i, i);
        }
        System.out.println("READY");
        Thread.sleep(Long.MAX_VALUE);
      }
      case "tracker-loop" -> {
        List<String> handed = new ArrayList<>();
        try (Cairn cairn = Cairn.open(home)) {
          ProgressTracker t = cairn.tracker("work");
          for (String k : t.tryKeys()) {
            handed.add(k);
            t.markDone(k);
          }
        }
        Files.write(Path.of(args[2]), handed);
        System.out.println("FINISHED " + handed.size());
      }
      case "tracker-crash" -> {
        Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(1)).open();
        ProgressTracker t = cairn.tracker("work");
        for (String k : t.tryKeys()) {
          t.markDone(k);
          System.out.println("DONE " + k);
          Thread.sleep(1);
        }
      }
      case "writer" -> {
        Cairn cairn = Cairn.open(home);
        DurableMap<Object> m = cairn.map("live");
        System.out.println("WRITING");
        for (int i = 0; ; i++) {
          m.set("w-" + i, i);
          if (i % 100 == 0) {
            m.sync();
          }
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
