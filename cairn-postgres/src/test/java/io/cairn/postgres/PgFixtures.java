package io.cairn.postgres;

import io.cairn.Status;
import io.cairn.spi.StateStore;
import io.cairn.testkit.Postgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

/** PostgreSQL databases for the contract suites, and one written at an older schema version. */
final class PgFixtures {
  private PgFixtures() {}

  static StateStore open(Postgres.Database db) {
    return PostgresStore.open(db.url(), 4);
  }

  /**
   * The fixture StoreContractBase#openOlderSchema describes, written at schema version 2 with that
   * version's own scripts, then opened (and so upgraded) by the current store.
   */
  static StateStore versionTwo() throws Exception {
    Postgres.Database db = Postgres.freshDatabase();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      runScript(st, "V001__resources.sql");
      runScript(st, "V002__maps.sql");
      st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      st.execute("INSERT INTO schema_version VALUES (2)");
      st.execute("INSERT INTO collections (id, name, version) VALUES (7, 'old', '')");
      int seq = 1;
      for (int i = 0; i < 5; i++) {
        st.execute(
            "INSERT INTO resources VALUES (7, 'done-"
                + i
                + "', "
                + seq++
                + ", "
                + Status.COMPLETED.ordinal()
                + ", 1, '{}', '42', NULL, 'fp', 0, 1, 2, NULL, 0)");
      }
      for (int i = 0; i < 3; i++) {
        st.execute(
            "INSERT INTO resources VALUES (7, 'queued-"
                + i
                + "', "
                + seq++
                + ", "
                + Status.QUEUED.ordinal()
                + ", 0, '{}', NULL, NULL, NULL, 5, 0, 0, NULL, 0)");
      }
      st.execute("SELECT setval('cairn_seq_resources', " + (seq - 1) + ")");
      // Counts split over shards, as several writer processes would have left them.
      st.execute(
          "INSERT INTO status_count_shards VALUES (7, "
              + Status.COMPLETED.ordinal()
              + ", 0, 2), (7, "
              + Status.COMPLETED.ordinal()
              + ", 5, 3)");
      st.execute(
          "INSERT INTO status_count_shards VALUES (7, " + Status.QUEUED.ordinal() + ", 1, 3)");
      st.execute("INSERT INTO status_count_shards VALUES (7, 99, 0, 5)"); // attempted
      st.execute("INSERT INTO maps (id, name, size) VALUES (3, 'old-map', 3)");
      st.execute(
          "INSERT INTO map_entries VALUES (3, 1, 'a', '1'), (3, 2, 'b', '2'), (3, 3, 'c', '3')");
    }
    return open(db);
  }

  static void runScript(Statement st, String name) throws Exception {
    String text;
    try (InputStream in =
        PgFixtures.class.getClassLoader().getResourceAsStream("io/cairn/db/postgresql/" + name)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // These versions hold no function bodies: ';' ends every statement.
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    for (String stmt : sql.toString().split(";")) {
      if (!stmt.isBlank()) {
        st.execute(stmt);
      }
    }
  }
}
