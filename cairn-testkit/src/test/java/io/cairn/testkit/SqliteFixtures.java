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
      st.execute("UPDATE sequences SET next = " + seq + " WHERE name = 'resources'");
      st.execute("INSERT INTO status_counts VALUES (7, " + Status.COMPLETED.ordinal() + ", 5)");
      st.execute("INSERT INTO status_counts VALUES (7, " + Status.QUEUED.ordinal() + ", 3)");
      st.execute("INSERT INTO status_counts VALUES (7, 99, 5)"); // attempted
      st.execute("INSERT INTO maps (id, name, size) VALUES (3, 'old-map', 3)");
      // Version 2 numbered each map's entries from 1: the upgrade must start above them.
      st.execute(
          "INSERT INTO map_entries VALUES (3, 1, 'a', '1'), (3, 2, 'b', '2'),"
              + " (3, 3, 'c', '3')");
    }
    return StateStores.sqlite(file);
  }

  static void runScript(Statement st, String name) throws Exception {
    String text;
    try (var in =
        SqliteFixtures.class.getClassLoader().getResourceAsStream("io/cairn/db/sqlite/" + name)) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
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
