package io.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.Status;
import io.cairn.spi.StoredResource;
import org.junit.jupiter.api.Test;

class TakeOversTest {
  private static StoredResource running(String owner, int attempt, long started, long until) {
    return new StoredResource(
        "c", "k", Status.RUNNING, attempt, "{}", null, null, null, 0, started, 0, owner, until);
  }

  private static StoredResource completed() {
    return new StoredResource(
        "c", "k", Status.COMPLETED, 1, "{}", "1", null, "fp", 0, 10, 20, null, 0);
  }

  @Test
  void aRunningResourceClaimedByAnotherOwnerAfterItsLeaseExpiredIsATakeOver() {
    TakeOvers t = new TakeOvers();
    t.see("c/k", running("a", 1, 0, 100));
    t.see("c/k", running("a", 1, 0, 200)); // renewed by its holder
    assertThat(t.count()).isZero();
    t.see("c/k", running("b", 2, 250, 400));
    assertThat(t.count()).isEqualTo(1);
  }

  @Test
  void aRecomputeAfterASeenEndOrBeforeTheLeaseExpiredIsNot() {
    TakeOvers t = new TakeOvers();
    t.see("c/k", running("a", 1, 0, 100));
    t.see("c/k", completed());
    t.see("c/k", running("b", 2, 150, 300));
    t.see("c/k", running("c", 3, 200, 400)); // before b's lease ended: an end was not seen
    assertThat(t.count()).isZero();
    t.forget();
    t.see("c/k", running("d", 4, 1_000, 1_100));
    assertThat(t.count()).isZero();
  }
}
