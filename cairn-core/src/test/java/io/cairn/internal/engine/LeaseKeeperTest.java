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
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      assertThat(claim("me").applied()).isTrue();
      LeaseKeeper.Held held = keeper.hold("c", "k", 1);
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
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k", 1);
      now.addAndGet(lease.toMillis() + 1); // no renewal ran: this process was paused
      assertThat(claim("other").applied()).isTrue();
      keeper.renewAll();
      assertThat(held.lost()).isTrue();
      assertThat(store.get("c", "k").orElseThrow().owner()).isEqualTo("other");
    }
  }

  @Test
  void releasedLeasesAreNoLongerRenewed() {
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k", 1);
      keeper.release(held);
      assertThat(keeper.size()).isZero();
      long before = store.get("c", "k").orElseThrow().leaseUntil();
      now.addAndGet(1_000);
      keeper.renewAll();
      assertThat(store.get("c", "k").orElseThrow().leaseUntil()).isEqualTo(before);
    }
  }

  @Test
  void aLostLeaseCancelsTheAttemptOnceAndIsCounted() {
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k", 1);
      AtomicLong cancels = new AtomicLong();
      held.onLost(cancels::incrementAndGet);
      now.addAndGet(lease.toMillis() + 1);
      assertThat(claim("other").applied()).isTrue();
      keeper.renewAll();
      keeper.renewAll();
      assertThat(cancels.get()).isEqualTo(1);
      assertThat(keeper.lostCount()).isEqualTo(1);
      assertThat(keeper.size()).isZero();
      held.onLost(cancels::incrementAndGet); // set after the loss: runs at once
      assertThat(cancels.get()).isEqualTo(2);
    }
  }

  @Test
  void aStaleAttemptOfTheSameOwnerIsFenced() {
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held first = keeper.hold("c", "k", 1);
      now.addAndGet(lease.toMillis() + 1);
      assertThat(claim("me").applied()).isTrue(); // attempt 2, same owner
      keeper.renewAll();
      assertThat(first.lost()).isTrue();
      ChangeResult stale =
          committer.apply(new Changes.Complete("c", "k", "me", 1, "1", "fp", now.get(), now.get()));
      assertThat(stale.outcome()).isEqualTo(ChangeResult.Outcome.REFUSED);
      assertThat(stale.message()).contains("attempt 1 is stale");
      ChangeResult current =
          committer.apply(new Changes.Complete("c", "k", "me", 2, "2", "fp", now.get(), now.get()));
      assertThat(current.applied()).isTrue();
    }
  }

  @Test
  void aRenewalRacingTheAttemptsOwnOutcomeIsNotALoss() {
    try (LeaseKeeper keeper = new LeaseKeeper(store::apply, clock, "me", lease)) {
      claim("me");
      LeaseKeeper.Held held = keeper.hold("c", "k", 1);
      AtomicLong cancels = new AtomicLong();
      held.onLost(cancels::incrementAndGet);
      held.finishing();
      committer.apply(new Changes.Complete("c", "k", "me", 1, "1", "fp", now.get(), now.get()));
      keeper.renewAll(); // still held: the release comes after the commit
      assertThat(held.lost()).isFalse();
      assertThat(cancels.get()).isZero();
      assertThat(keeper.lostCount()).isZero();
    }
  }

  @Test
  void releaseGivesTheClaimBackWithoutSpendingATry() {
    claim("me");
    ChangeResult released = committer.apply(new Changes.Release("c", "k", "me", 1, now.get()));
    assertThat(released.applied()).isTrue();
    assertThat(store.get("c", "k").orElseThrow().attempts()).isZero();
    assertThat(store.get("c", "k").orElseThrow().status()).isEqualTo(io.cairn.Status.QUEUED);
  }

  @Test
  void aClaimTakesOverAtOnceFromAProcessOfThisHostThatIsGoneButNotFromALiveOne() throws Exception {
    Process live = new ProcessBuilder("sleep", "30").start();
    try {
      String liveOwner = ownerOf(live.toHandle());
      assertThat(claim(liveOwner).applied()).isTrue();
      assertThat(claim("me").outcome()).isEqualTo(ChangeResult.Outcome.BUSY);
      assertThat(OwnerIds.isGone(liveOwner)).isFalse();
      live.destroyForcibly().waitFor();
      // The lease has not expired, but its holder no longer exists: no need to wait for it.
      ChangeResult taken = claim("me");
      assertThat(taken.applied()).isTrue();
      assertThat(taken.record().attempts()).isEqualTo(2);
    } finally {
      live.destroyForcibly();
    }
  }

  @Test
  void aPidNowUsedByAnotherProcessDoesNotKeepADeadOwnersLease() throws Exception {
    Process reused = new ProcessBuilder("sleep", "30").start();
    try {
      long start = reused.toHandle().info().startInstant().orElseThrow().toEpochMilli();
      String dead = OwnerIds.host() + ":" + reused.pid() + ":" + (start - 60_000) + ":x";
      assertThat(OwnerIds.isGone(dead)).isTrue();
      assertThat(OwnerIds.isGone(ownerOf(reused.toHandle()))).isFalse();
      // This process is never judged gone (several engines live in one JVM), and other hosts are
      // never judged from here: their leases expire instead.
      assertThat(OwnerIds.isGone(OwnerIds.newOwnerId())).isFalse();
      assertThat(OwnerIds.isGone("elsewhere.example:1:1:z")).isFalse();
    } finally {
      reused.destroyForcibly();
    }
  }

  private static String ownerOf(ProcessHandle p) {
    long start = p.info().startInstant().orElseThrow().toEpochMilli();
    return OwnerIds.host() + ":" + p.pid() + ":" + start + ":test";
  }
}
