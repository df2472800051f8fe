package io.cairn.internal.store;

import io.cairn.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the versioned SQL scripts of a dialect ({@code Vnnn__name.sql}, listed in order in {@code
 * index.txt}) that a database has not seen yet, each in its own transaction together with the bump
 * of {@code schema_version}. A database written by a newer Cairn is refused.
 */
final class SchemaMigrator {
  private SchemaMigrator() {}

  /** The scripts of a dialect, in order. */
  static List<String> scripts(String directory) {
    String index = read(directory + "/index.txt");
    List<String> names = new ArrayList<>();
    for (String line : index.split("\n")) {
      if (!line.isBlank()) {
        names.add(line.trim());
      }
    }
    return names;
  }

  /** Brings the database on {@code writer} up to the newest version. */
  static void migrate(Session session, SqlDialect dialect) throws SQLException {
    dialect.beginMigration(session.connection);
    try {
      migrateLocked(session, dialect);
    } finally {
      dialect.endMigration(session.connection);
    }
  }

  private static void migrateLocked(Session session, SqlDialect dialect) throws SQLException {
    Connection writer = session.connection;
    String directory = dialect.schemaDirectory();
    List<String> scripts = scripts(directory);
    try (Statement st = writer.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    }
    int current = currentVersion(writer);
    if (current > scripts.size()) {
      throw new CairnException(
          "the database is at schema version "
              + current
              + ", written by a newer Cairn; this one knows versions up to "
              + scripts.size()
              + ": upgrade Cairn");
    }
    for (int v = current + 1; v <= scripts.size(); v++) {
      // Re-read inside the write transaction: another process may have migrated meanwhile.
      dialect.begin(writer);
      try (Statement st = writer.createStatement()) {
        int now = currentVersion(writer);
        if (now >= v) {
          dialect.rollback(writer);
          continue;
        }
        // Comments go first: they may contain ';'. Statements hold no ';' in strings, only in
        // dollar-quoted function bodies.
        for (String sql : statements(stripComments(read(directory + "/" + scripts.get(v - 1))))) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
        st.executeUpdate("DELETE FROM schema_version");
        st.executeUpdate("INSERT INTO schema_version (version) VALUES (" + v + ")");
        dialect.commit(writer);
      } catch (Throwable e) { // an Error too: never leave the write lock held
        try {
          dialect.rollback(writer);
        } catch (Throwable r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  /**
   * Checks that a database can be read as it is, without migrating it: its schema is the newest
   * this code knows. Reads only.
   *
   * @param where the database as users name it, for messages
   * @throws CairnException saying whether it is empty, newer (upgrade Cairn) or older (and how to
   *     migrate it)
   */
  static void checkReadable(Connection reader, SqlDialect dialect, String where)
      throws SQLException {
    int known = scripts(dialect.schemaDirectory()).size();
    int current;
    try (Statement st = reader.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                    + " AND name = 'schema_version'")) {
      current = rs.next() && rs.getInt(1) > 0 ? currentVersion(reader) : 0;
    }
    if (current == known) {
      return;
    }
    if (current == 0) {
      throw new CairnException(
          where
              + " holds a database that is not a Cairn database (it has no schema version):"
              + " pass the home directory of a Cairn project");
    }
    if (current > known) {
      throw new CairnException(
          where
              + " was written by a newer Cairn (schema "
              + current
              + "; this one reads up to "
              + known
              + "): upgrade cairn");
    }
    throw new CairnException(
        where
            + " was written by an older Cairn (schema "
            + current
            + "; this one reads "
            + known
            + "): upgrade it with 'cairn check --upgrade' (or any command that writes, such as"
            + " cairn run), then read it again");
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** The statements of a script: split at ';' outside {@code $$ ... $$} bodies. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    String[] parts = script.split("\\$\\$", -1);
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 1) { // inside a dollar-quoted body
        current.append("$$").append(parts[i]).append("$$");
        continue;
      }
      String[] pieces = parts[i].split(";", -1);
      for (int k = 0; k < pieces.length; k++) {
        current.append(pieces[k]);
        if (k < pieces.length - 1) {
          out.add(current.toString());
          current.setLength(0);
        }
      }
    }
    out.add(current.toString());
    return out;
  }

  private static String stripComments(String sql) {
    StringBuilder out = new StringBuilder();
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (!t.startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String read(String resource) {
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema resource " + resource, e);
    }
  }
}
