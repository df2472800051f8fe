package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.internal.store.JdbcStateStore;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderTest {
  @TempDir Path home;

  @Test
  void syncEveryCommitWithACustomStateStoreIsRefusedNamingBothOptionsInEitherOrder() {
    try (StateStore store = StateStores.inMemory()) {
      assertThatThrownBy(() -> Cairn.builder().home(home).stateStore(store).syncEveryCommit(true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("syncEveryCommit(true)")
          .hasMessageContaining("stateStore(...)")
          .hasMessageContaining("StateStores.sqlite(file, true)");
      assertThatThrownBy(() -> Cairn.builder().home(home).syncEveryCommit(true).stateStore(store))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("syncEveryCommit(true)")
          .hasMessageContaining("stateStore(...)");
    }
  }

  @Test
  void syncEveryCommitOffWithACustomStoreAndOnWithTheDefaultStoreAreAccepted() {
    try (Cairn a =
        Cairn.builder()
            .home(home.resolve("a"))
            .syncEveryCommit(false)
            .stateStore(StateStores.inMemory())
            .open()) {
      a.collection("c", (ident, args, ctx) -> 1);
      assertThat(a.fetch("c", "x").status()).isEqualTo(Status.COMPLETED);
    }
    try (Cairn b = Cairn.builder().home(home.resolve("b")).syncEveryCommit(true).open()) {
      b.collection("c", (ident, args, ctx) -> 1);
      assertThat(b.fetch("c", "x").status()).isEqualTo(Status.COMPLETED);
    }
  }

  @Test
  void aBuilderWithCustomStoresOpensOnlyOneCairnBecauseThatCairnClosesThem() {
    Cairn.Builder builder = Cairn.builder().home(home).stateStore(StateStores.inMemory());
    try (Cairn first = builder.open()) {
      assertThatThrownBy(builder::open)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already opened a Cairn with its stateStore(...)/blobStore(...)");
      first.collection("c", (ident, args, ctx) -> 1);
      assertThat(first.fetch("c", "x").status()).isEqualTo(Status.COMPLETED);
    }
  }

  @Test
  void aBuilderWithDefaultStoresMayOpenSeveralCairns() {
    Cairn.Builder builder = Cairn.builder().home(home);
    try (Cairn a = builder.open();
        Cairn b = builder.open()) {
      a.collection("c", (ident, args, ctx) -> 1);
      b.collection("c", (ident, args, ctx) -> 1);
      assertThat(a.fetch("c", "x").status()).isEqualTo(Status.COMPLETED);
      assertThat(b.status("c", "x")).isEqualTo(Status.COMPLETED);
    }
  }

  @Test
  void nullStoresAndClockAreRefusedSayingWhich() {
    assertThatThrownBy(() -> Cairn.builder().stateStore(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state store must not be null");
    assertThatThrownBy(() -> Cairn.builder().blobStore(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blob store must not be null");
    assertThatThrownBy(() -> Cairn.builder().clock(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clock must not be null");
  }

  @Test
  void theBusyWaitIsASixthOfTheLeaseBetweenOneAndFiveSeconds() {
    assertThat(JdbcStateStore.busyWaitFor(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
    assertThat(JdbcStateStore.busyWaitFor(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(2));
    assertThat(JdbcStateStore.busyWaitFor(Duration.ofMillis(300))).isEqualTo(Duration.ofSeconds(1));
    assertThat(JdbcStateStore.busyWaitFor(Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aWriteOnAHomeLockedByAnotherWriterFailsAfterTheLeaseDerivedBoundSayingSo() throws Exception {
    try (Cairn cairn = Cairn.builder().home(home).leaseDuration(Duration.ofSeconds(12)).open();
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("cairn.db"));
        Statement st = other.createStatement()) {
      cairn.collection("c", (ident, args, ctx) -> Map.of("n", 1));
      st.execute("BEGIN IMMEDIATE"); // as another process writing for a long time would
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> cairn.fetch("c", "x"))
          .hasMessageContaining("database stayed locked by another process for 2.")
          .hasMessageContaining("bound is 2.0 s");
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(waitedMs).isBetween(1_900L, 8_000L);
      st.execute("ROLLBACK");
      assertThat(cairn.fetch("c", "y").status()).isEqualTo(Status.COMPLETED);
    }
  }
}
