package io.cairn.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lease renewal driven by hand with a manual clock: no sleeps. */
class LeaseKeeperTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final InstantSource clock =
      new InstantSource() {
        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };
  final StateStore store = StateStores.inMemory();
  final GroupCommitter<StateChange, ChangeResult> committer =
      new GroupCommitter<>("test-commit", store::apply);
  // A lease long enough that the keeper's own timer never fires during a test.
  final Duration lease = Duration.ofHours(1);

  ChangeResult claim(String owner) {
    return committer.apply(
        new Changes.Claim(
            "c", "k", owner, now.get(), now.get() + lease.toMillis(), "{}", null, false));
  }

  @Test
  void renewalKeepsALongComputationsLeaseAlive() {
    try (LeaseKeeper keeper = new LeaseKeeper(committer, clock, "me", lease)) {
      assertThat(claim("me").applied()).isTrue();
      LeaseKeeper.Held held = keeper.hold("c", "k");
      for (int i = 0; i < 5; i++) {
        now.addAndGet(lease.toMillis() / 2);
        keeper.renewAll();
        assertThat(claim("other").outcome()).isEqualTo(ChangeResult.Outcome.BUSY);
      }
      assertThat(held.lost()).isFalse();
      assertThat(store.get("c", "k").orElseThrow().leaseUntil())
          .isEqualTo(now.get() + lease.toMillis());
    }
  }

  @Test
  void aLeaseThatStopsBeingRenewedExpiresAndIsTakenOver() {
    try (LeaseKeeper keeper = new LeaseKeeper(committer, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k");
      now.addAndGet(lease.toMillis() + 1); // no renewal ran: this process was paused
      assertThat(claim("other").applied()).isTrue();
      keeper.renewAll();
      assertThat(held.lost()).isTrue();
      assertThat(store.get("c", "k").orElseThrow().owner()).isEqualTo("other");
    }
  }

  @Test
  void releasedLeasesAreNoLongerRenewed() {
    try (LeaseKeeper keeper = new LeaseKeeper(committer, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k");
      keeper.release(held);
      assertThat(keeper.size()).isZero();
      long before = store.get("c", "k").orElseThrow().leaseUntil();
      now.addAndGet(1_000);
      keeper.renewAll();
      assertThat(store.get("c", "k").orElseThrow().leaseUntil()).isEqualTo(before);
    }
  }
}
