package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.CairnException;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.spi.ChangeResult;
import io.cairn.spi.StateChange;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SqliteStateStoreTest extends StateStoreContract {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.sqlite(dir.resolve("cairn.db"));
  }

  @Override
  protected StateStore secondInstance() {
    return newStore(tempDir);
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
      assertThat(rs.getInt(2)).isEqualTo(2);
    }
    assertThat(store.get(C, "a")).isPresent();
  }

  @Test
  void aVersionOneDatabaseIsUpgradedKeepingItsResources() throws Exception {
    store.close();
    Path old = tempDir.resolve("old.db");
    String v1;
    try (var in =
        getClass().getClassLoader().getResourceAsStream("io/cairn/db/sqlite/V001__resources.sql")) {
      v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
        Statement st = c.createStatement()) {
      StringBuilder sql = new StringBuilder();
      for (String line : v1.split("\n")) {
        if (!line.strip().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      for (String stmt : sql.toString().split(";")) {
        if (!stmt.isBlank()) {
          st.execute(stmt);
        }
      }
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
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }
}
