package io.cairn.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * A lock-free (immutable) read is trusted only while no writer touched the file; a reader that
 * found a writer's {@code -wal} reads through it under SQLite's own locks.
 */
class ReadOnlySqliteDialectTest {
  @TempDir Path dir;
  Path db;

  @BeforeEach
  void aWalDatabaseNoProcessHasOpen() throws SQLException {
    db = dir.resolve("cairn.db");
    try (Connection w = writer();
        Statement st = w.createStatement()) {
      st.execute("CREATE TABLE t (n INTEGER)");
      st.execute("INSERT INTO t VALUES (1)");
    }
    assertThat(dir.resolve("cairn.db-wal")).doesNotExist();
  }

  private Connection writer() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    return config.createConnection("jdbc:sqlite:" + db);
  }

  private static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aReadWithoutLocksIsInvalidOnceAWriterOpensTheDatabase() throws Exception {
    ReadOnlySqliteDialect dialect = new ReadOnlySqliteDialect(db);
    try (Connection reader = dialect.openReader()) {
      assertThat(count(reader)).isEqualTo(1);
      assertThat(dialect.readStillValid(reader)).isTrue();
      assertThat(dir.resolve("cairn.db-shm")).doesNotExist();
      try (Connection w = writer();
          Statement st = w.createStatement()) {
        st.execute("INSERT INTO t VALUES (2)");
        assertThat(dialect.readStillValid(reader)).isFalse();
        try (Connection locked = dialect.openReader()) {
          assertThat(count(locked)).isEqualTo(2);
          assertThat(dialect.readStillValid(locked)).isTrue();
        }
      }
    }
  }

  @Test
  void aReadWithoutLocksIsInvalidAfterAWriterCameAndWent() throws Exception {
    ReadOnlySqliteDialect dialect = new ReadOnlySqliteDialect(db);
    try (Connection reader = dialect.openReader()) {
      try (Connection w = writer();
          Statement st = w.createStatement()) {
        st.execute("INSERT INTO t VALUES (2)");
      }
      assertThat(dir.resolve("cairn.db-wal")).doesNotExist(); // checkpointed on close
      assertThat(dialect.readStillValid(reader)).isFalse();
    }
    try (Connection fresh = dialect.openReader()) {
      assertThat(count(fresh)).isEqualTo(2);
      assertThat(dialect.readStillValid(fresh)).isTrue();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cairn.db");
    }
  }

  @Test
  void aReadThatAWriterOverlappedIsRunAgainAndReturnsWhatIsCommitted() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ReaderPool pool = new ReaderPool(new ReadOnlySqliteDialect(db), 1)) {
      long n =
          pool.read(
              s -> {
                long seen = count(s.connection);
                if (runs.incrementAndGet() == 1) {
                  // a writer comes and goes while this lock-free read runs
                  try (Connection w = writer();
                      Statement st = w.createStatement()) {
                    st.execute("INSERT INTO t VALUES (2)");
                  }
                }
                return seen;
              });
      assertThat(n).isEqualTo(2);
      assertThat(runs).hasValue(2);
    }
  }

  @Test
  void aWriteAheadLogWithoutItsIndexIsRefusedSayingHowToRecover() throws Exception {
    Path copy = Files.createDirectory(dir.resolve("copy"));
    try (Connection w = writer();
        Statement st = w.createStatement()) {
      st.execute("INSERT INTO t VALUES (2)");
      Files.copy(db, copy.resolve("cairn.db")); // a home copied while a writer had it open,
      Files.copy(dir.resolve("cairn.db-wal"), copy.resolve("cairn.db-wal")); // without -shm
    }
    ReadOnlySqliteDialect dialect = new ReadOnlySqliteDialect(copy.resolve("cairn.db"));
    org.assertj.core.api.Assertions.assertThatThrownBy(dialect::openReader)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("cairn.db-shm is missing")
        .hasMessageContaining("cairn check --upgrade");
    try (var files = Files.list(copy)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("cairn.db", "cairn.db-wal");
    }
  }
}
