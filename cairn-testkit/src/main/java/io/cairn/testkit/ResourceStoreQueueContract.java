package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Stats;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.ChangeResult.Outcome;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The durable-queue part of the resource-store contract: {@link ResourceStore#claimNext} takes
 * QUEUED resources carrying work in queue order, then RUNNING ones whose lease expired by the
 * store's clock, and {@link Changes.Enqueue} writes work. Lease times here are relative to {@link
 * ResourceStore#now}, so every backend's clock works.
 */
public abstract class ResourceStoreQueueContract<S extends ResourceStore>
    extends ResourceStoreChangesContract<S> {
  private static final String Q = "queue";
  private static final long HOUR = 3_600_000;

  private ChangeResult write(StateChange change) {
    return store.apply(List.of(change)).get(0);
  }

  private void enqueue(String collection, String... keys) {
    for (String key : keys) {
      ChangeResult r =
          write(new Changes.Enqueue(collection, key, work(key), "{}", "fp", store.now()));
      assertThat(r.applied()).as("enqueue %s", key).isTrue();
    }
  }

  private static String work(String key) {
    return "{\"call\":\"" + key + "\"}";
  }

  private List<String> claim(Set<String> collections, String owner, int n, long leaseUntil) {
    return store.claimNext(collections, owner, n, leaseUntil).stream()
        .map(StoredResource::key)
        .toList();
  }

  @Test
  public void claimNextTakesQueuedWorkInQueueOrderUpToN() {
    enqueue(Q, "a", "b", "c", "d", "e");
    long before = store.now();
    long until = before + HOUR;
    List<StoredResource> first = store.claimNext(Set.of(Q), "w1", 3, until);
    assertThat(first).extracting(StoredResource::key).containsExactly("a", "b", "c");
    for (StoredResource r : first) {
      assertThat(r.status()).isEqualTo(Status.RUNNING);
      assertThat(r.owner()).isEqualTo("w1");
      assertThat(r.leaseUntil()).isEqualTo(until);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.startedAt()).isBetween(before, store.now());
      assertThat(r.workJson()).isEqualTo(work(r.key()));
      assertThat(store.get(Q, r.key()).orElseThrow()).isEqualTo(r);
    }
    Stats stats = store.stats(Q);
    assertThat(stats.count(Status.RUNNING)).isEqualTo(3);
    assertThat(stats.count(Status.QUEUED)).isEqualTo(2);
    assertThat(stats.attempted()).isEqualTo(3);
    assertThat(claim(Set.of(Q), "w2", 10, until)).containsExactly("d", "e");
    assertThat(claim(Set.of(Q), "w2", 10, until)).isEmpty();
  }

  @Test
  public void claimNextTakesOnlyTheListedCollectionsMergedInQueueOrder() {
    enqueue("q1", "a");
    enqueue("q2", "b");
    enqueue("q3", "c");
    enqueue("q1", "d");
    long until = store.now() + HOUR;
    assertThat(claim(Set.of("q1", "q3", "unknown"), "w", 10, until)).containsExactly("a", "c", "d");
    assertThat(store.get("q2", "b").orElseThrow().status()).isEqualTo(Status.QUEUED);
    assertThat(claim(Set.of("nothing-here"), "w", 10, until)).isEmpty();
  }

  @Test
  public void resourcesWithoutWorkAreNotClaimed() {
    long now = store.now();
    // QUEUED without work: claimed by a caller and released, as a fetch does.
    assertThat(
            write(new Changes.Claim(Q, "plain", "c", now, now + HOUR, "{}", null, false)).applied())
        .isTrue();
    assertThat(write(new Changes.Release(Q, "plain", "c", 1, now)).applied()).isTrue();
    // RUNNING without work whose lease expired.
    assertThat(
            write(new Changes.Claim(Q, "held", "c", now - 10, now - 5, "{}", null, false))
                .applied())
        .isTrue();
    enqueue(Q, "work");
    assertThat(claim(Set.of(Q), "w", 10, now + HOUR)).containsExactly("work");
    assertThat(store.get(Q, "plain").orElseThrow().status()).isEqualTo(Status.QUEUED);
  }

  @Test
  public void anExpiredLeaseIsReclaimedAfterTheQueueAndALiveOneIsNot() {
    enqueue(Q, "expired", "live");
    long now = store.now();
    assertThat(claim(Set.of(Q), "w1", 1, now - 1)).containsExactly("expired");
    assertThat(claim(Set.of(Q), "w1", 1, now + HOUR)).containsExactly("live");
    enqueue(Q, "fresh");

    List<StoredResource> again = store.claimNext(Set.of(Q), "w2", 10, store.now() + HOUR);
    assertThat(again).extracting(StoredResource::key).containsExactly("fresh", "expired");
    StoredResource reclaimed = again.get(1);
    assertThat(reclaimed.attempts()).isEqualTo(2);
    assertThat(reclaimed.owner()).isEqualTo("w2");
    assertThat(reclaimed.workJson()).isEqualTo(work("expired"));
    StoredResource live = store.get(Q, "live").orElseThrow();
    assertThat(live.owner()).isEqualTo("w1");
    assertThat(live.attempts()).isEqualTo(1);
    // The first holder of the reclaimed resource is fenced out.
    assertThat(write(new Changes.Complete(Q, "expired", "w1", 1, "1", "fp", now, now)).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(store.stats(Q).count(Status.RUNNING)).isEqualTo(3);
  }

  @Test
  public void enqueueWritesWorkAndLeavesUpToDateAbortedAndLiveResourcesAlone() {
    long now = store.now();
    enqueue(Q, "new");
    StoredResource queued = store.get(Q, "new").orElseThrow();
    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    assertThat(queued.workJson()).isEqualTo(work("new"));
    assertThat(write(new Changes.Enqueue(Q, "new", work("new"), "{}", "fp", now)).outcome())
        .isEqualTo(Outcome.UNCHANGED);

    // COMPLETED with the same fingerprint stays; with another one it is queued again.
    write(new Changes.Claim(Q, "done", "w", now, now + HOUR, "{}", null, false));
    write(new Changes.Complete(Q, "done", "w", 1, "1", "fp", now, now));
    assertThat(write(new Changes.Enqueue(Q, "done", "{}", "{}", "fp", now)).outcome())
        .isEqualTo(Outcome.UNCHANGED);
    assertThat(write(new Changes.Enqueue(Q, "done", "{}", "{}", "fp2", now)).status())
        .isEqualTo(Status.QUEUED);

    // A live lease is left to its holder; an ERROR is queued again, keeping its attempts.
    write(new Changes.Claim(Q, "busy", "w", now, now + HOUR, "{}", null, false));
    assertThat(write(new Changes.Enqueue(Q, "busy", "{}", "{}", null, now)).outcome())
        .isEqualTo(Outcome.BUSY);
    write(new Changes.Claim(Q, "failed", "w", now, now + HOUR, "{}", null, false));
    write(new Changes.Fail(Q, "failed", "w", 1, "boom", now, now, false));
    ChangeResult retried = write(new Changes.Enqueue(Q, "failed", "{}", "{}", null, now));
    assertThat(retried.status()).isEqualTo(Status.QUEUED);
    assertThat(retried.record().attempts()).isEqualTo(1);

    // ABORTED stays given up.
    write(new Changes.Claim(Q, "gave-up", "w", now, now + HOUR, "{}", null, false));
    write(new Changes.Fail(Q, "gave-up", "w", 1, "boom", now, now, true));
    assertThat(write(new Changes.Enqueue(Q, "gave-up", "{}", "{}", null, now)).outcome())
        .isEqualTo(Outcome.REFUSED);
    assertThat(store.get(Q, "gave-up").orElseThrow().status()).isEqualTo(Status.ABORTED);
  }

  @Test
  public void claimNextRefusesBadArgumentsSayingWhatIsAllowed() {
    long until = store.now() + HOUR;
    assertThatThrownBy(() -> store.claimNext(Set.of(), "w", 1, until))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one collection");
    assertThatThrownBy(() -> store.claimNext(Set.of(Q), " ", 1, until))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("owner");
    assertThatThrownBy(() -> store.claimNext(Set.of(Q), "w", 0, until))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 10000");
    assertThatThrownBy(() -> store.claimNext(Set.of(Q), "w", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease expiry");
  }
}
