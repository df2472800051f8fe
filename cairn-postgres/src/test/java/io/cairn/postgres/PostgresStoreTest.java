package io.cairn.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.CairnException;
import io.cairn.Status;
import io.cairn.internal.engine.Changes;
import io.cairn.postgres.internal.PostgresDialect;
import io.cairn.spi.StateStore;
import io.cairn.spi.StoredResource;
import io.cairn.testkit.Postgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What only the PostgreSQL store has to get right: concurrent opening, the fenced cursor, locks.
 */
class PostgresStoreTest {
  private static final String C = "things";

  @Test
  void processesOpeningAFreshDatabaseAtOnceMigrateItOnceWithoutRacing() throws Exception {
    Postgres.Database db = Postgres.freshDatabase();
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<StateStore> opened = new ArrayList<>();
    try {
      List<Future<StateStore>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return PgFixtures.open(db);
                }));
      }
      for (Future<StateStore> f : futures) {
        opened.add(f.get(60, TimeUnit.SECONDS)); // throws if any open failed
      }
      long now = opened.get(0).now();
      opened.get(0).apply(List.of(new Changes.Claim(C, "a", "w", now, now + 1, "{}", null, false)));
      assertThat(opened.get(n - 1).get(C, "a")).isPresent();
    } finally {
      pool.shutdownNow();
      for (StateStore s : opened) {
        s.close();
      }
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(5);
    }
  }

  /**
   * A write that takes its change number first and commits last (PostgreSQL sequences are not
   * commit-ordered) is still seen by a cursor that read a later write before it committed.
   */
  @Test
  void theChangeCursorWaitsForAWriteThatTookAnEarlierNumberAndCommitsLate() throws Exception {
    Postgres.Database db = Postgres.freshDatabase();
    try (StateStore store = PgFixtures.open(db);
        Connection late = db.connect()) {
      claim(store, "first");
      long cursor = store.changeCursor();
      long cid;
      try (Statement st = late.createStatement();
          ResultSet rs = st.executeQuery("SELECT id FROM collections WHERE name = '" + C + "'")) {
        rs.next();
        cid = rs.getLong(1);
      }
      // The late writer takes its number as the store's dialect does, and writes a row with it.
      PostgresDialect dialect = new PostgresDialect(dataSourceOf(db), null);
      dialect.begin(late);
      long lateSeq = dialect.nextSeqs(late, "changes", 1);
      try (PreparedStatement ps =
          late.prepareStatement(
              "INSERT INTO resources (collection_id, key, seq, status, attempts, queued_at,"
                  + " started_at, ended_at, lease_until, change_seq)"
                  + " VALUES (?, 'late', ?, ?, 0, 0, 0, 0, 0, ?)")) {
        ps.setLong(1, cid);
        ps.setLong(2, lateSeq);
        ps.setInt(3, Status.QUEUED.ordinal());
        ps.setLong(4, lateSeq);
        ps.executeUpdate();
      }
      // Meanwhile another write takes a later number and commits first.
      long second = claim(store, "second").changeSeq();
      assertThat(second).isGreaterThan(lateSeq);
      try (Statement st = db.connect().createStatement();
          ResultSet rs =
              st.executeQuery("SELECT key FROM resources WHERE change_seq > " + cursor)) {
        assertThat(rs.next()).as("the later write is committed and visible").isTrue();
        assertThat(rs.getString(1)).isEqualTo("second");
      }
      // A cursor must not pass it yet: that would skip the late write forever.
      assertThat(store.changesSince(cursor, 10).resources()).isEmpty();
      assertThat(store.changeCursor()).isLessThan(lateSeq);

      dialect.commit(late);
      assertThat(store.changesSince(cursor, 10).resources())
          .extracting(StoredResource::key)
          .containsExactly("late", "second");
      assertThat(store.changeCursor()).isEqualTo(second);
    }
  }

  @Test
  void aClaimSkipsRowsAnotherTransactionHoldsInsteadOfWaitingForThem() throws Exception {
    Postgres.Database db = Postgres.freshDatabase();
    try (StateStore store = PgFixtures.open(db);
        Connection holder = db.connect()) {
      long now = store.now();
      for (String k : List.of("a", "b", "c")) {
        store.apply(List.of(new Changes.Enqueue(C, k, "{\"w\":1}", "{}", "fp", now)));
      }
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.executeQuery("SELECT 1 FROM resources WHERE key = 'a' FOR UPDATE").close();
      }
      long started = System.nanoTime();
      List<StoredResource> claimed = store.claimNext(Set.of(C), "w", 3, now + 60_000);
      assertThat(claimed).extracting(StoredResource::key).containsExactly("b", "c");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
      holder.rollback();
      assertThat(store.claimNext(Set.of(C), "w2", 3, now + 60_000))
          .extracting(StoredResource::key)
          .containsExactly("a");
      assertThat(store.stats(C).count(Status.RUNNING)).isEqualTo(3);
    }
  }

  @Test
  void theClockIsTheServersEpochTimeWhateverTheSessionsZone() throws Exception {
    Postgres.Database db = Postgres.freshDatabase();
    try (StateStore store = PgFixtures.open(db);
        Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW timezone")) {
      rs.next();
      assertThat(rs.getString(1)).as("the session zone is not UTC on purpose").isNotEqualTo("UTC");
      long before = System.currentTimeMillis();
      long now = store.now();
      // One host: the server's clock and the JVM's agree to well within a second.
      assertThat(now).isBetween(before - 1_000, System.currentTimeMillis() + 1_000);
    }
  }

  @Test
  void serializationDeadlockAndLockTimeoutErrorsAreRetriedOthersAreNot() {
    PostgresDialect dialect = new PostgresDialect(dataSourceOf(Postgres.freshDatabase()), null);
    assertThat(dialect.isRetryable(new SQLException("x", "40001"))).isTrue();
    assertThat(dialect.isRetryable(new SQLException("x", "40P01"))).isTrue();
    assertThat(dialect.isRetryable(new SQLException("x", "55P03"))).isTrue();
    assertThat(dialect.isRetryable(new SQLException("x", "23505"))).isFalse();
    assertThat(dialect.isRetryable(new SQLException("x", "42P01"))).isFalse();
  }

  @Test
  void aFailedOpenNamesTheUrlButNeverThePassword() {
    int port = Postgres.port();
    String url = "postgresql://postgres:s3cret-pw@localhost:" + port + "/no_such_database";
    assertThatThrownBy(() -> PostgresStore.open(url))
        .isInstanceOf(CairnException.class)
        .hasMessageContaining("postgresql://postgres@localhost:" + port + "/no_such_database")
        .hasMessageContaining("no_such_database")
        .satisfies(e -> assertThat(fullText(e)).doesNotContain("s3cret-pw"));
  }

  @Test
  void aMalformedUrlIsRefusedSayingHowToWriteIt() {
    assertThatThrownBy(() -> PostgresStore.open("postgresql://u:pw-123@host:99999/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a number from 1 to 65535")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-123"));
    assertThatThrownBy(() -> PostgresStore.open("postgresql://u@host:5432"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no database");
    assertThatThrownBy(() -> PostgresStore.open("mysql://u@host/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starts with postgresql://");
    assertThatThrownBy(() -> PostgresStore.open("postgresql://u@h/db", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 to 200 connections");
  }

  private static String fullText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }

  private static StoredResource claim(StateStore store, String key) {
    long now = store.now();
    return store
        .apply(List.of(new Changes.Claim(C, key, "w", now, now + 60_000, "{}", null, false)))
        .get(0)
        .record();
  }

  private static javax.sql.DataSource dataSourceOf(Postgres.Database db) {
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setUrl(db.jdbcUrl());
    return ds;
  }
}
