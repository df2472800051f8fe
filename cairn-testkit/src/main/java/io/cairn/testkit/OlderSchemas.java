package io.cairn.testkit;

import io.cairn.Status;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;

/**
 * What every SQL backend's older-schema fixture ({@link StoreContractBase#openOlderSchema}) shares:
 * running an old migration script as it was, and the fixture's rows, which are the same whatever
 * the database. Each backend adds its own sequence position and maintained counts.
 */
public final class OlderSchemas {
  private OlderSchemas() {}

  /**
   * Runs a migration script from the class path, statement by statement. Old versions hold no
   * function bodies: ';' ends every statement, and lines starting with "--" are comments.
   */
  public static void runScript(Statement st, String resource) throws Exception {
    String text;
    try (InputStream in = OlderSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no migration script " + resource + " on the class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
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

  /**
   * Inserts the version-2 fixture's rows (schema versions 1 and 2 already applied): collection 7
   * {@code "old"} with {@code done-0..4} COMPLETED then {@code queued-0..2} QUEUED, and map 3
   * {@code "old-map"} holding {@code a=1, b=2, c=3}, numbered from 1 as version 2 did.
   *
   * @return the next resource sequence number the store's sequence must hand out
   */
  public static long insertVersionTwoRows(Statement st) throws Exception {
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
    st.execute("INSERT INTO maps (id, name, size) VALUES (3, 'old-map', 3)");
    // Version 2 numbered each map's entries from 1: the upgrade must start above them.
    st.execute(
        "INSERT INTO map_entries VALUES (3, 1, 'a', '1'), (3, 2, 'b', '2'), (3, 3, 'c', '3')");
    return seq;
  }
}
