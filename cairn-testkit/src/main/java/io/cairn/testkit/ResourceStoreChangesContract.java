package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangePage;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StateChange;
import io.cairn.spi.StoredResource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The change cursor part of the resource-store contract: {@link ResourceStore#changesSince} returns
 * each changed resource once, at its latest write, in commit order, paged; every kind of write is
 * seen.
 */
public abstract class ResourceStoreChangesContract<S extends ResourceStore>
    extends ResourceStorePrefixContract<S> {
  private static final String CH = "watched";
  private static final long T = 1_000_000;

  private ChangeResult write(StateChange change) {
    return store.apply(List.of(change)).get(0);
  }

  private ChangeResult claim(String key) {
    return write(new Changes.Claim(CH, key, "w", T, T + 30_000, "{}", null, false));
  }

  private static List<String> keys(ChangePage page) {
    return page.resources().stream().map(r -> r.collection() + "/" + r.key()).toList();
  }

  @Test
  public void changesComeInCommitOrderPagedAndATwiceChangedResourceOnceAtItsLatestWrite() {
    claim("a");
    claim("b");
    claim("c");
    assertThat(write(new Changes.Renew(CH, "b", "w", 1, T + 60_000)).applied()).isTrue();

    ChangePage first = store.changesSince(0, 2);
    assertThat(keys(first)).containsExactly(CH + "/a", CH + "/c");
    assertThat(first.cursor()).isEqualTo(first.resources().get(1).changeSeq());
    ChangePage second = store.changesSince(first.cursor(), 2);
    assertThat(keys(second)).containsExactly(CH + "/b");
    assertThat(second.resources().get(0).leaseUntil()).isEqualTo(T + 60_000);
    ChangePage none = store.changesSince(second.cursor(), 2);
    assertThat(none.resources()).isEmpty();
    assertThat(none.cursor()).isEqualTo(second.cursor());
    assertThat(store.changeCursor()).isEqualTo(second.cursor());
  }

  @Test
  public void aWatcherStartingFromTheCurrentCursorSeesOnlyLaterChanges() {
    claim("old");
    long cursor = store.changeCursor();
    assertThat(store.changesSince(cursor, 10).resources()).isEmpty();
    claim("new");
    assertThat(keys(store.changesSince(cursor, 10))).containsExactly(CH + "/new");
  }

  @Test
  public void writtenRecordsCarryTheChangeNumberTheyAreStoredWith() {
    ChangeResult claimed = claim("a");
    StoredResource stored = store.get(CH, "a").orElseThrow();
    assertThat(claimed.record().changeSeq()).isPositive().isEqualTo(stored.changeSeq());
    assertThat(claimed.record()).isEqualTo(stored);
    ChangeResult busy = claim("a");
    assertThat(busy.record().changeSeq()).isEqualTo(stored.changeSeq());
  }

  @Test
  public void bulkMovesAndQueueClaimsAreSeen() {
    for (String k : List.of("x", "y", "z")) {
      claim(k);
      assertThat(write(new Changes.Fail(CH, k, "w", 1, "boom", T, T + 1, false)).applied())
          .isTrue();
    }
    long cursor = store.changeCursor();
    assertThat(store.moveAll(CH, Status.ERROR, Status.QUEUED, T + 2)).isEqualTo(3);
    ChangePage moved = store.changesSince(cursor, 10);
    assertThat(keys(moved)).containsExactly(CH + "/x", CH + "/y", CH + "/z");
    assertThat(moved.resources()).allMatch(r -> r.status() == Status.QUEUED);
    assertThat(moved.resources().stream().map(StoredResource::changeSeq).distinct().count())
        .isEqualTo(3);

    cursor = store.changeCursor();
    assertThat(write(new Changes.Enqueue(CH, "y", "{\"w\":1}", "{}", null, T + 3)).applied())
        .isTrue();
    long now = store.now();
    assertThat(store.claimNext(Set.of(CH), "worker", 5, now + 30_000)).hasSize(1);
    ChangePage claimed = store.changesSince(cursor, 10);
    assertThat(keys(claimed)).containsExactly(CH + "/y");
    assertThat(claimed.resources().get(0).status()).isEqualTo(Status.RUNNING);
    assertThat(claimed.resources().get(0).owner()).isEqualTo("worker");
  }

  @Test
  public void aDeletedResourceLeavesTheChanges() {
    claim("gone");
    claim("kept");
    assertThat(write(new Changes.Forget(CH, "gone")).applied()).isTrue();
    assertThat(keys(store.changesSince(0, 10))).containsExactly(CH + "/kept");
  }

  @Test
  public void aBadCursorOrPageSizeIsRefusedSayingWhatIsAllowed() {
    assertThatThrownBy(() -> store.changesSince(-1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("change cursor must be 0 or a cursor the store returned");
    assertThatThrownBy(() -> store.changesSince(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("page size must be 1 to 100000");
  }
}
