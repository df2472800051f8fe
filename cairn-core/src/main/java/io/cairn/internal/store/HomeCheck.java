package io.cairn.internal.store;

import io.cairn.CairnException;
import io.cairn.Status;
import io.cairn.internal.engine.Names;
import io.cairn.internal.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies the invariants of a home's SQLite database, the {@code git fsck} of a home: the
 * maintained counts equal the counts of the rows, no RUNNING resource lacks an owner or a lease,
 * every COMPLETED result and every stored argument and map value is readable JSON, every map's
 * maintained size equals its entries.
 *
 * <p>Reads only: the connection is query-only, nothing is migrated or created. It reads a
 * consistent snapshot (one read transaction), so a home in use by other processes can be checked.
 */
public final class HomeCheck {
  private static final Status[] STATUSES = Status.values();

  /** What a check found. */
  public record Report(int collections, long resources, int maps, List<String> violations) {
    public Report {
      violations = List.copyOf(violations);
    }

    public boolean ok() {
      return violations.isEmpty();
    }
  }

  private HomeCheck() {}

  /**
   * Checks the database {@code db}.
   *
   * @throws CairnException if it cannot be opened or is not a Cairn database
   */
  public static Report check(Path db) {
    if (!Files.isRegularFile(db)) {
      throw new CairnException("no database at " + db);
    }
    // Opened as the read-only client opens it: a plain read-only connection would leave -wal and
    // -shm files behind, and a read-write one creates and removes them (changing the home).
    ReadOnlySqliteDialect dialect = new ReadOnlySqliteDialect(db);
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dialect.openReader()) {
        c.setAutoCommit(false); // one snapshot for every query
        Report report;
        try {
          report = new Run(c).run();
        } finally {
          c.rollback();
        }
        if (dialect.readStillValid(c) || attempt == 5) {
          return report;
        }
      } catch (SQLException e) {
        throw new CairnException("cannot read " + db + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class Run {
    private final Connection c;
    private final List<String> violations = new ArrayList<>();
    private final Map<Long, String> collections = new TreeMap<>();

    Run(Connection c) {
      this.c = c;
    }

    Report run() throws SQLException {
      int version = schemaVersion();
      int known =
          SchemaMigrator.scripts(new SqliteDialect(Path.of("cairn.db"), false).schemaDirectory())
              .size();
      if (version < 1) {
        throw new CairnException("not a Cairn database: it has no schema version");
      }
      if (version > known) {
        throw new CairnException(
            "the database is at schema version "
                + version
                + ", written by a newer Cairn; this one knows versions up to "
                + known
                + ": upgrade Cairn");
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, name FROM collections ORDER BY name")) {
        while (rs.next()) {
          collections.put(rs.getLong(1), rs.getString(2));
        }
      }
      long resources = counts();
      running();
      readable();
      int maps = maps();
      return new Report(collections.size(), resources, maps, violations);
    }

    private int schemaVersion() throws SQLException {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
        if (!rs.next()) {
          return 0;
        }
      }
      return SchemaMigrator.currentVersion(c);
    }

    private String name(long collectionId) {
      String n = collections.get(collectionId);
      return n != null ? n : "#" + collectionId;
    }

    /** Maintained counts per collection and status, and attempted, against the rows. */
    private long counts() throws SQLException {
      Map<Long, long[]> rows = new HashMap<>();
      Map<Long, long[]> kept = new HashMap<>();
      long total = 0;
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT collection_id, status, COUNT(*), SUM(attempts > 0) FROM resources"
                      + " GROUP BY collection_id, status")) {
        while (rs.next()) {
          long[] r = rows.computeIfAbsent(rs.getLong(1), k -> new long[STATUSES.length + 1]);
          int status = rs.getInt(2);
          if (status < 0 || status >= STATUSES.length) {
            violations.add(
                "bad status: "
                    + rs.getLong(3)
                    + " resources of collection '"
                    + name(rs.getLong(1))
                    + "' have unknown status code "
                    + status);
            continue;
          }
          r[status] += rs.getLong(3);
          r[STATUSES.length] += rs.getLong(4);
          total += rs.getLong(3);
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT collection_id, status, n FROM status_counts")) {
        while (rs.next()) {
          long[] k = kept.computeIfAbsent(rs.getLong(1), x -> new long[STATUSES.length + 1]);
          int status = rs.getInt(2);
          if (status == JdbcStateStore.ATTEMPTED_CODE) {
            k[STATUSES.length] = rs.getLong(3);
          } else if (status >= 0 && status < STATUSES.length) {
            k[status] = rs.getLong(3);
          } else {
            violations.add(
                "bad count: collection '"
                    + name(rs.getLong(1))
                    + "' has a count for unknown status code "
                    + status);
          }
        }
      }
      java.util.Set<Long> ids = new java.util.TreeSet<>(rows.keySet());
      ids.addAll(kept.keySet());
      for (long id : ids) {
        long[] r = rows.getOrDefault(id, new long[STATUSES.length + 1]);
        long[] k = kept.getOrDefault(id, new long[STATUSES.length + 1]);
        for (int i = 0; i <= STATUSES.length; i++) {
          if (r[i] != k[i]) {
            violations.add(
                "count drift: collection '"
                    + name(id)
                    + "' "
                    + (i == STATUSES.length ? "attempted" : STATUSES[i].name())
                    + ": maintained "
                    + k[i]
                    + ", rows "
                    + r[i]);
          }
        }
      }
      return total;
    }

    /** RUNNING means someone holds a lease: it needs an owner and a lease expiry. */
    private void running() throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT collection_id, key, owner, lease_until FROM resources"
                  + " WHERE status = ? AND (owner IS NULL OR owner = '' OR lease_until <= 0)")) {
        ps.setInt(1, Status.RUNNING.ordinal());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            boolean noOwner = rs.getString(3) == null || rs.getString(3).isEmpty();
            violations.add(
                "running without "
                    + (noOwner ? "an owner" : "a lease")
                    + ": "
                    + name(rs.getLong(1))
                    + "/"
                    + Names.quote(rs.getString(2)));
          }
        }
      }
    }

    /** Every COMPLETED result and every stored argument object is readable JSON. */
    private void readable() throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT collection_id, key, status, args, result FROM resources")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String where = name(rs.getLong(1)) + "/" + Names.quote(rs.getString(2));
            String args = rs.getString(4);
            if (args != null) {
              unreadable("arguments", where, () -> Json.readMap(args));
            }
            int status = rs.getInt(3);
            String result = rs.getString(5);
            if (status == Status.COMPLETED.ordinal() && result != null) {
              unreadable("result", where, () -> Json.read(result));
            }
          }
        }
      }
    }

    private void unreadable(String what, String where, Runnable read) {
      try {
        read.run();
      } catch (RuntimeException e) {
        violations.add("unreadable " + what + ": " + where + ": " + e.getMessage());
      }
    }

    /** Maintained map sizes equal their entries; every value is readable JSON. */
    private int maps() throws SQLException {
      Map<Long, String> names = new TreeMap<>();
      Map<Long, Long> sizes = new HashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, name, size FROM maps")) {
        while (rs.next()) {
          names.put(rs.getLong(1), rs.getString(2));
          sizes.put(rs.getLong(1), rs.getLong(3));
        }
      }
      Map<Long, Long> entries = new HashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT map_id, key, value FROM map_entries")) {
        while (rs.next()) {
          long id = rs.getLong(1);
          entries.merge(id, 1L, Long::sum);
          String value = rs.getString(3);
          String where = names.getOrDefault(id, "#" + id) + "/" + Names.quote(rs.getString(2));
          unreadable("map value", where, () -> Json.read(value));
        }
      }
      for (Map.Entry<Long, String> m : names.entrySet()) {
        long kept = sizes.get(m.getKey());
        long rows = entries.getOrDefault(m.getKey(), 0L);
        if (kept != rows) {
          violations.add(
              "count drift: map '"
                  + m.getValue()
                  + "' size: maintained "
                  + kept
                  + ", rows "
                  + rows);
        }
      }
      return names.size();
    }
  }
}
