package io.cairn.testkit;

import io.cairn.Status;
import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** SQLite databases written with older schema versions' own SQL, for the upgrade contracts. */
final class SqliteFixtures {
  private SqliteFixtures() {}

  /**
   * The fixture {@link StoreContractBase#openOlderSchema} describes, at schema version 2, opened
   * (and so upgraded) by the current store.
   */
  static StateStore versionTwo(Path dir) throws Exception {
    Path file = dir.resolve("cairn.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      runScript(st, "V001__resources.sql");
      runScript(st, "V002__maps.sql");
      long seq = OlderSchemas.insertVersionTwoRows(st);
      st.execute("UPDATE sequences SET next = " + seq + " WHERE name = 'resources'");
      st.execute("INSERT INTO status_counts VALUES (7, " + Status.COMPLETED.ordinal() + ", 5)");
      st.execute("INSERT INTO status_counts VALUES (7, " + Status.QUEUED.ordinal() + ", 3)");
      st.execute("INSERT INTO status_counts VALUES (7, 99, 5)"); // attempted
    }
    return StateStores.sqlite(file);
  }

  static void runScript(Statement st, String name) throws Exception {
    OlderSchemas.runScript(st, "io/cairn/db/sqlite/" + name);
  }
}
