package io.cairn.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real PostgreSQL server for tests, started once per test JVM on first use (and stopped when the
 * JVM exits), handing out a fresh, empty database per call: tests never see each other's rows or
 * locks. The server's time zone is deliberately not UTC (Asia/Kathmandu, +05:45), so code that
 * mixes local and UTC times fails here; PostgreSQL's JDBC driver sets a session's zone to the
 * JVM's, so a module testing on PostgreSQL also runs its test JVM in a non-UTC zone.
 */
public final class Postgres {
  /** The non-UTC zone the server and its databases default to. */
  public static final String TIME_ZONE = "Asia/Kathmandu";

  /** Databases kept before the oldest is dropped: a test may open a few at once. */
  private static final int KEEP = 4;

  private static EmbeddedPostgres server;
  private static final AtomicInteger counter = new AtomicInteger();
  private static final Deque<String> created = new ArrayDeque<>();
  private static final Map<Class<?>, String> templates = new HashMap<>();

  private Postgres() {}

  /** A database on the shared server: empty when made. */
  public record Database(String name, int port) {
    /** The store URL, as users pass it to {@code --store} (no password: the server trusts). */
    public String url() {
      return "postgresql://postgres@localhost:" + port + "/" + name;
    }

    /** The JDBC URL, for raw connections. */
    public String jdbcUrl() {
      return "jdbc:postgresql://localhost:" + port + "/" + name + "?user=postgres";
    }

    /** A raw connection to this database, auto-commit on. */
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl());
    }
  }

  /** A new, empty database; older ones made by this JVM beyond the last few are dropped. */
  public static synchronized Database freshDatabase() {
    return create("template0");
  }

  /**
   * A new database copied from a template that {@code prepare} filled once per JVM (say, a store
   * opened and closed on it, leaving its schema): copying is cheaper than running the migrations
   * for every test. One template per {@code prepare} class (one per call site of a lambda).
   */
  public static synchronized Database freshDatabase(Consumer<Database> prepare) {
    String template = templates.get(prepare.getClass());
    if (template == null) {
      Database t = create("template0");
      prepare.accept(t);
      created.remove(t.name()); // kept for the JVM's life
      template = t.name();
      templates.put(prepare.getClass(), template);
    }
    return create(template);
  }

  private static Database create(String template) {
    EmbeddedPostgres pg = server();
    String name = "cairn_test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      while (created.size() >= KEEP) {
        st.execute("DROP DATABASE IF EXISTS " + created.removeFirst() + " WITH (FORCE)");
      }
      st.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
      st.execute("ALTER DATABASE " + name + " SET timezone = '" + TIME_ZONE + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    created.addLast(name);
    return new Database(name, pg.getPort());
  }

  /** The server's port (started if not yet). */
  public static synchronized int port() {
    return server().getPort();
  }

  private static EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("timezone", TIME_ZONE)
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the test postgresql server", e);
      }
    }
    return server;
  }
}
