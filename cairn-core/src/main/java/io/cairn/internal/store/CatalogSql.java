package io.cairn.internal.store;

import io.cairn.spi.CatalogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The catalog's JDBC plumbing: transactions of the state store, and tiny statement helpers. */
final class CatalogSql {
  interface Body<T> {
    T run(Connection c) throws SQLException;
  }

  private final JdbcStateStore store;

  CatalogSql(JdbcStateStore store) {
    this.store = store;
  }

  /** Runs {@code body} in one write transaction of the state store (busy retries included). */
  <T> T write(Body<T> body) {
    return store.write(
        () -> {
          Connection c = store.writer.connection;
          T result = body.run(c);
          store.dialect.commit(c);
          return result;
        });
  }

  /** Runs {@code body} on a pooled reader. */
  <T> T read(Body<T> body) {
    return store.readers.read(s -> body.run(s.connection));
  }

  static boolean objectExists(Connection c, String id) throws SQLException {
    return single(c, "SELECT size FROM catalog_objects WHERE id = ?", id) != null;
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, a.toString());
      }
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** The first column of the first row as a long, or null when there is no row. */
  static Long single(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  static void checkLimit(int limit) {
    {
      if (limit < 1 || limit > CatalogStore.MAX_PAGE_SIZE) {
        throw new IllegalArgumentException(
            "page size must be 1 to " + CatalogStore.MAX_PAGE_SIZE + ", was " + limit);
      }
    }
  }
}
