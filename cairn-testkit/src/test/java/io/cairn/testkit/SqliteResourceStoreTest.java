package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.CairnException;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.internal.engine.GroupCommitter;
import io.cairn.internal.store.JdbcStateStore;
import io.cairn.internal.store.SqliteDialect;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.MapChange;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import io.cairn.spi.StoredResource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SqliteResourceStoreTest extends ResourceStoreContract<StateStore> {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.sqlite(dir.resolve("cairn.db"));
  }

  @Override
  protected StateStore secondInstance() {
    return newStore(tempDir);
  }

  /** Schema version 2 (resources and maps, before the shared map-entry sequence) with rows. */
  @Override
  protected StateStore openOlderSchema(Path dir) throws Exception {
    return SqliteFixtures.versionTwo(dir);
  }

  private void runScript(Statement st, String name) throws Exception {
    SqliteFixtures.runScript(st, name);
  }

  @Test
  void theStoresClockIsTheJvmClockBecauseEveryProcessOnTheFileSharesOneHost() throws Exception {
    SqliteDialect dialect = new SqliteDialect(tempDir.resolve("cairn.db"), false);
    try (Connection c = dialect.openReader()) {
      long before = System.currentTimeMillis();
      long now = dialect.now(c);
      assertThat(now).isBetween(before, System.currentTimeMillis());
    }
  }

  @Test
  void writesSurviveReopening() {
    claim("a", "w");
    complete("a", "w", "{\"n\":1}");
    store.close();
    store = newStore(tempDir);
    assertThat(store.get(C, "a").orElseThrow().resultJson()).isEqualTo("{\"n\":1}");
    assertThat(store.stats(C).count(Status.COMPLETED)).isEqualTo(1);
  }

  @Test
  void twoStoresOnOneFileWriteConcurrentlyWithoutLockErrors() throws Exception {
    StateStore other = newStore(tempDir);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (StateStore s : List.of(store, other)) {
        String owner = s == store ? "one" : "two";
        fs.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < 100; b++) {
                    List<StateChange> batch = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                      batch.add(
                          new Changes.Claim(
                              C,
                              owner + "-" + b + "-" + i,
                              owner,
                              now,
                              now + LEASE,
                              "{}",
                              null,
                              false));
                    }
                    for (ChangeResult r : s.apply(batch)) {
                      assertThat(r.applied()).isTrue();
                    }
                    s.writeMap(
                        "shared",
                        List.of(
                            io.cairn.spi.MapWrite.put(owner + "-" + b, "1"),
                            io.cairn.spi.MapWrite.put("both-" + b, "\"" + owner + "\"")));
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      other.close();
    }
    assertThat(store.stats(C).count(Status.RUNNING)).isEqualTo(4_000);
    assertThat(store.mapSize("shared")).isEqualTo(300);
    // The sequences handed no number to both stores: listing order is total.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      for (String table : List.of("resources", "map_entries")) {
        try (var rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq) FROM " + table)) {
          rs.next();
          assertThat(rs.getLong(2)).as(table).isEqualTo(rs.getLong(1));
        }
      }
    }
  }

  @Test
  void databaseFromANewerCairnIsRefusedWithAClearMessage() throws Exception {
    store.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("cairn.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE schema_version SET version = 999");
    }
    assertThatThrownBy(() -> newStore(tempDir))
        .isInstanceOf(CairnException.class)
        .hasMessageContaining("schema version 999")
        .hasMessageContaining("upgrade Cairn");
    store = StateStores.inMemory(); // so the @AfterEach close has something to close
  }

  @Test
  void openingAnExistingDatabaseKeepsItsSchemaAndData() throws Exception {
    claim("a", "w");
    store.close();
    store = newStore(tempDir);
    store.close();
    store = newStore(tempDir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("cairn.db"));
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(6);
    }
    assertThat(store.get(C, "a")).isPresent();
  }

  @Test
  void aVersionOneDatabaseIsUpgradedKeepingItsResources() throws Exception {
    store.close();
    Path old = tempDir.resolve("old.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
        Statement st = c.createStatement()) {
      runScript(st, "V001__resources.sql");
      st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      st.execute("INSERT INTO schema_version VALUES (1)");
      st.execute("INSERT INTO collections (id, name, version) VALUES (1, 'old', '')");
      st.execute(
          "INSERT INTO resources VALUES (1, 'k', 1, "
              + Status.COMPLETED.ordinal()
              + ", 1, '{}', '42', NULL, 'fp', 0, 1, 2, 'w', 0)");
      st.execute("INSERT INTO status_counts VALUES (1, " + Status.COMPLETED.ordinal() + ", 1)");
    }
    store = StateStores.sqlite(old);
    assertThat(store.get("old", "k").orElseThrow().resultJson()).isEqualTo("42");
    assertThat(store.stats("old").count(Status.COMPLETED)).isEqualTo(1);
    store.writeMap("m", List.of(io.cairn.spi.MapWrite.put("a", "1")));
    assertThat(store.mapSize("m")).isEqualTo(1);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(6);
    }
  }

  // ---------------------------------------------------------------- errors and busy waits

  /** A resource change whose decision throws an Error, as a broken invariant would. */
  private record ErrorChange(String collection, String key) implements StateChange {
    @Override
    public ChangeResult decide(StoredResource cur) {
      throw new AssertionError("invariant broken in decide");
    }
  }

  private ChangeResult claimOn(StateStore s, String key) {
    return s.apply(List.of(new Changes.Claim(C, key, "other", now, now + LEASE, "{}", null, false)))
        .get(0);
  }

  /** How long another store on the same file takes to write one claim. */
  private long millisForAnotherStoreToWrite(String key) {
    try (StateStore other = newStore(tempDir)) {
      long t0 = System.nanoTime();
      assertThat(claimOn(other, key).applied()).isTrue();
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
  }

  @Test
  void anErrorInsideAWriteRollsBackAndReleasesTheDatabaseLock() {
    assertThatThrownBy(
            () ->
                store.apply(
                    List.of(
                        new Changes.Claim(C, "x", "w", now, now + LEASE, "{}", null, false),
                        new ErrorChange(C, "y"))))
        .isInstanceOf(AssertionError.class);
    assertThat(store.get(C, "x")).isEmpty(); // rolled back, not half-written
    assertThat(millisForAnotherStoreToWrite("after-resource-error")).isLessThan(2_000);

    MapChange badMapChange =
        new MapChange() {
          @Override
          public String map() {
            return "m";
          }

          @Override
          public String key() {
            return "k";
          }

          @Override
          public Optional<String> decide(Optional<String> current) {
            throw new StackOverflowError("deep user lambda");
          }
        };
    assertThatThrownBy(() -> store.applyMap(List.of(badMapChange)))
        .isInstanceOf(StackOverflowError.class);
    assertThat(millisForAnotherStoreToWrite("after-map-error")).isLessThan(2_000);

    // The store that saw the errors still writes.
    assertThat(claim("still-works", "w").applied()).isTrue();
  }

  @Test
  void anErrorThroughTheGroupCommitterFailsTheCallerAndAnotherStoreCanStillWrite()
      throws Exception {
    try (GroupCommitter<StateChange, ChangeResult> committer =
        new GroupCommitter<>("test-commit", store::apply)) {
      CompletableFuture<List<ChangeResult>> f =
          committer.submit(List.of(new Changes.Requeue(C, "x", now), new ErrorChange(C, "y")));
      assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> committer.apply(new Changes.Requeue(C, "z", now)))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("is broken by java.lang.AssertionError");
      assertThat(millisForAnotherStoreToWrite("after-committer-error")).isLessThan(2_000);
    }
  }

  @Test
  void aWriteWaitingTooLongForAnotherProcessFailsSayingSo() throws Exception {
    Path file = tempDir.resolve("cairn.db");
    try (StateStore bounded =
            new JdbcStateStore(new SqliteDialect(file, false), Duration.ofSeconds(1));
        Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = holder.createStatement()) {
      st.execute("BEGIN IMMEDIATE"); // another writer holds the database's write lock
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> claimOn(bounded, "waits"))
          .isInstanceOf(CairnException.class)
          .hasMessageContaining("database stayed locked by another process for 1.")
          .hasMessageContaining("bound is 1.0 s");
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(waited).isBetween(900L, 5_000L);
      st.execute("ROLLBACK");
      assertThat(claimOn(bounded, "after").applied()).isTrue();
    }
  }

  @Test
  void aWriteWaitingForABusyDatabaseDoesNotHoldUpCloseInThisProcess() throws Exception {
    Path file = tempDir.resolve("cairn.db");
    StateStore waiting = new JdbcStateStore(new SqliteDialect(file, false), Duration.ofSeconds(30));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = holder.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      Future<ChangeResult> write = pool.submit(() -> claimOn(waiting, "waits"));
      // Real time: give the write time to reach its busy-retry loop (no clock drives SQLite).
      Thread.sleep(300);
      assertThat(write.isDone()).isFalse();
      long t0 = System.nanoTime();
      waiting.close(); // takes the store's write lock: free between two busy attempts
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
      assertThatThrownBy(() -> write.get(2, TimeUnit.SECONDS))
          .hasMessageContaining("state store is closed");
      st.execute("ROLLBACK");
    } finally {
      pool.shutdownNow();
      waiting.close();
    }
  }
}
