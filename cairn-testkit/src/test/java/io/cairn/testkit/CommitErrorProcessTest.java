package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import io.cairn.CairnException;
import io.cairn.durable.DurableMap;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.GroupCommitter;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error inside a write transaction must not leave SQLite's write lock held: while the process
 * that had it stays open, another process on the same home writes at once.
 */
class CommitErrorProcessTest {
  @TempDir Path home;

  /** Runs {@link CommitErrorChild} and returns how long its two writes took, in ms. */
  private long anotherProcessWrites(String ident) throws Exception {
    try (ChildJvm child = ChildJvm.start(CommitErrorChild.class, home.toString(), ident)) {
      String line = child.awaitLine("WROTE ", Duration.ofSeconds(60));
      assertThat(child.waitFor(Duration.ofSeconds(30))).isZero();
      String[] parts = line.split(" ");
      assertThat(parts[2]).isEqualTo("COMPLETED");
      return Long.parseLong(parts[1]);
    }
  }

  @Test
  void anErrorInAMapLambdaInsideTheTransactionLeavesTheDatabaseWritableByAnotherProcess()
      throws Exception {
    try (Cairn cairn = Cairn.open(home)) {
      DurableMap<Integer> m = cairn.map("counts", Integer.class);
      m.put("n", 1);
      assertThatThrownBy(
              () ->
                  m.compute(
                      "n",
                      (k, v) -> {
                        throw new AssertionError("broken invariant in a compute lambda");
                      }))
          .isInstanceOf(AssertionError.class);
      assertThat(m.get("n")).isEqualTo(1);

      assertThat(anotherProcessWrites("after-map-error")).isLessThan(2_000);

      // This process goes on writing too.
      m.put("n", 2);
      assertThat(m.get("n")).isEqualTo(2);
    }
    HomeInvariants.assertHealthy(home);
  }

  /** A change whose decision throws an Error, as a broken invariant in the engine would. */
  private record ErrorChange(String collection, String key) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      throw new AssertionError("invariant broken in decide");
    }
  }

  @Test
  void anErrorInTheCommitThreadFailsItsCallerWithinASecondAndAnotherProcessCanStillWrite()
      throws Exception {
    Cairn.open(home).close(); // a home as Cairn makes it
    try (StateStore store = StateStores.sqlite(home.resolve("cairn.db"));
        GroupCommitter<StateChange, ChangeResult> committer =
            new GroupCommitter<>("cairn-commit-test", store::apply)) {
      CompletableFuture<List<ChangeResult>> f =
          committer.submit(List.of(new Changes.Requeue("c", "x", 1), new ErrorChange("c", "boom")));
      assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> committer.apply(new Changes.Requeue("c", "y", 1)))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("broken");

      assertThat(anotherProcessWrites("after-commit-error")).isLessThan(2_000);
      assertThat(store.get("child", "after-commit-error")).isPresent();
    }
    HomeInvariants.assertHealthy(home);
  }
}
