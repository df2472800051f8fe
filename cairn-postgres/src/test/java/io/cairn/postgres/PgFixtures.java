package io.cairn.postgres;

import io.cairn.Status;
import io.cairn.spi.StateStore;
import io.cairn.testkit.OlderSchemas;
import io.cairn.testkit.Postgres;
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
      long seq = OlderSchemas.insertVersionTwoRows(st);
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
    }
    return open(db);
  }

  static void runScript(Statement st, String name) throws Exception {
    OlderSchemas.runScript(st, "io/cairn/db/postgresql/" + name);
  }
}
