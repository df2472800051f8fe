package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Page;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ResourceStore;
import io.cairn.spi.StateChange;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The prefix-listing part of the resource-store contract: {@link ResourceStore#keysByPrefix} gives
 * the keys that start with a prefix and have one of the statuses, in UTF-8 byte order, paged by a
 * cursor that never repeats or skips a key.
 */
public abstract class ResourceStorePrefixContract<S extends ResourceStore>
    extends StoreContractBase<S> {
  private static final String P = "prefixed";
  private static final Set<Status> ALL =
      EnumSet.of(Status.QUEUED, Status.RUNNING, Status.COMPLETED, Status.ERROR, Status.ABORTED);

  private void write(StateChange change) {
    assertThat(store.apply(List.of(change)).get(0).applied()).as("%s", change).isTrue();
  }

  /** Claims {@code key}, then completes it, fails it, or leaves it RUNNING. */
  private void resource(String key, Status status) {
    write(new Changes.Claim(P, key, "w", 1, 1_000_000, "{}", null, false));
    if (status == Status.COMPLETED) {
      write(new Changes.Complete(P, key, "w", 1, "1", "fp", 1, 2));
    } else if (status == Status.ERROR) {
      write(new Changes.Fail(P, key, "w", 1, "boom", 1, 2, false));
    }
  }

  private List<String> all(Set<Status> statuses, String prefix, int limit) {
    List<String> out = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 100; pages++) {
      Page<String> page = store.keysByPrefix(P, statuses, prefix, cursor, limit);
      assertThat(page.items().size()).isLessThanOrEqualTo(limit);
      out.addAll(page.items());
      if (!page.hasMore()) {
        return out;
      }
      cursor = page.nextCursor();
    }
    throw new AssertionError("more than 100 pages for " + prefix);
  }

  @Test
  public void keysByPrefixListsARangeInByteOrderWithTheStatusFilter() {
    resource("b-2", Status.ERROR);
    resource("a-1", Status.COMPLETED);
    resource("b-10", Status.COMPLETED);
    resource("b-1", Status.ERROR);
    resource("b", Status.RUNNING);
    resource("bz", Status.ERROR);
    resource("c-1", Status.ERROR);
    resource("b\u00e9", Status.ERROR);
    resource("b\uD83D\uDE00", Status.COMPLETED);

    assertThat(all(ALL, "b-", 2)).containsExactly("b-1", "b-10", "b-2");
    assertThat(all(EnumSet.of(Status.ERROR), "b", 1))
        .containsExactly("b-1", "b-2", "bz", "b\u00e9");
    assertThat(all(EnumSet.of(Status.COMPLETED, Status.RUNNING), "b", 10))
        .containsExactly("b", "b-10", "b\uD83D\uDE00");
    assertThat(all(ALL, "", 4)).hasSize(9).startsWith("a-1", "b").endsWith("c-1");
    assertThat(all(ALL, "d", 4)).isEmpty();
    assertThat(store.keysByPrefix("no-such", ALL, "b", null, 10).items()).isEmpty();
  }

  @Test
  public void keysByPrefixRefusesACursorOfAnotherListing() {
    resource("x1", Status.ERROR);
    resource("x2", Status.ERROR);
    Page<String> first = store.keysByPrefix(P, ALL, "x", null, 1);
    assertThat(first.items()).containsExactly("x1");
    assertThatThrownBy(() -> store.keysByPrefix(P, ALL, "y", first.nextCursor(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
    assertThatThrownBy(() -> store.keysByPrefix(P, ALL, "x", "17", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
  }
}
