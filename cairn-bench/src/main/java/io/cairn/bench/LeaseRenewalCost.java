package io.cairn.bench;

import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.LeaseKeeper;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What holding a lease costs per claimed item: one renewal round of N held leases (the lease
 * keeper's batched transactions on SQLite), divided by N. A lease is renewed every third of the
 * lease duration (10 s by default), so an item pays this once per 10 s it stays claimed; items that
 * finish sooner pay nothing but a map entry.
 *
 * <p>Usage: {@code java -cp cairn-bench/target/benchmarks.jar io.cairn.bench.LeaseRenewalCost
 * [leases=10000] [rounds=9]}
 */
public final class LeaseRenewalCost {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Floor floor = Floor.measure();
    System.out.println(floor);
    Path dir = Files.createTempDirectory("cairn-bench-lease");
    try (StateStore store = StateStores.sqlite(dir.resolve("cairn.db"))) {
      long now = System.currentTimeMillis();
      List<StateChange> claims = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        claims.add(
            new Changes.Claim("c", "item-" + i, "bench", now, now + 3_600_000, "{}", null, false));
      }
      store.apply(claims);
      // A clock that moves one second per read, so every round writes every lease.
      long[] t = {now};
      InstantSource clock = () -> java.time.Instant.ofEpochMilli(t[0] += 1_000);
      try (LeaseKeeper keeper =
          new LeaseKeeper(store::apply, clock, "bench", Duration.ofHours(2))) {
        for (int i = 0; i < n; i++) {
          keeper.hold("c", "item-" + i, 1);
        }
        keeper.renewAll(); // warm-up
        double[] perLease = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          keeper.renewAll();
          perLease[r] = (System.nanoTime() - t0) / 1e3 / n;
        }
        double median = Bench.median(perLease);
        System.out.printf(
            "renewing %,d held leases: median %.2f µs per lease per round (%,.0f leases/s);"
                + " %.2fx the floor's per-row batch cost%n",
            n, median, 1e6 / median, median / (1e6 / floor.batchRowsPerSecond));
        if (keeper.lostCount() != 0) {
          throw new IllegalStateException("lost " + keeper.lostCount() + " leases");
        }
      }
    } finally {
      Bench.deleteTree(dir);
    }
  }
}
