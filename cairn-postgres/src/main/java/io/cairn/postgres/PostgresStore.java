package io.cairn.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.cairn.CairnException;
import io.cairn.internal.store.JdbcStateStore;
import io.cairn.postgres.internal.PostgresDialect;
import io.cairn.postgres.internal.PostgresUrl;
import io.cairn.spi.StateStore;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The state store on PostgreSQL: any number of processes on any machines share one database, and
 * PostgreSQL's transactions and row locks coordinate them. Pass it to {@code
 * Cairn.builder().stateStore(...)}; the CLI takes {@code --store postgresql://...} or {@code
 * CAIRN_STORE}. The schema is created or upgraded on open (processes opening at once take turns).
 */
public final class PostgresStore {
  /** Connections a store opens at most when the caller does not say: one writer, the rest reads. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10;

  /** How long the server lets a transaction of this store wait on its client before ending it. */
  static final int IDLE_IN_TRANSACTION_MS = 5_000;

  private PostgresStore() {}

  /** Whether {@code text} is a PostgreSQL store URL ({@code postgresql://...}). */
  public static boolean isUrl(String text) {
    return PostgresUrl.isPostgres(text);
  }

  /** {@code url} with any password in it replaced by {@code ***}, for messages. */
  public static String redact(String url) {
    return PostgresUrl.redact(url);
  }

  /**
   * Opens the store at {@code url} ({@code postgresql://user[:password]@host[:port]/database}),
   * with at most {@link #DEFAULT_MAX_CONNECTIONS} connections. Without a password in the URL, it is
   * taken from {@code PGPASSWORD}, else from {@code ~/.pgpass} ({@code PGPASSFILE}).
   *
   * @throws IllegalArgumentException if the URL is malformed
   * @throws CairnException if the database cannot be reached or migrated (the message names the URL
   *     without its password)
   */
  public static StateStore open(String url) {
    return open(url, DEFAULT_MAX_CONNECTIONS);
  }

  /**
   * As {@link #open(String)}, with at most {@code maxConnections} (2 to 200) connections to the
   * database.
   */
  public static StateStore open(String url, int maxConnections) {
    return open(url, maxConnections, System.getenv());
  }

  static StateStore open(String url, int maxConnections, Map<String, String> env) {
    if (maxConnections < 2 || maxConnections > 200) {
      throw new IllegalArgumentException(
          "a postgresql store needs 2 to 200 connections (one writes, the others read), got "
              + maxConnections);
    }
    PostgresUrl parsed = PostgresUrl.parse(url, env);
    HikariConfig config = new HikariConfig();
    config.setPoolName("cairn-postgres");
    config.setJdbcUrl(parsed.jdbcUrl());
    // By name: in a shaded jar the driver's service file may be another driver's (SQLite's).
    config.setDriverClassName("org.postgresql.Driver");
    config.setUsername(parsed.user());
    if (parsed.password() != null) {
      config.setPassword(parsed.password());
    }
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("ApplicationName", "cairn");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // A process paused or cut off in the middle of a transaction would hold its row locks until
    // it wakes, and claims skip locked rows: the server ends such a transaction instead (Cairn's
    // transactions never wait on their client for long), so its leases can be taken over.
    config.addDataSourceProperty(
        "options", "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION_MS);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new CairnException(
          "cannot connect to the postgresql store "
              + parsed
              + ": "
              + rootMessage(e)
              + " (check the url, that the server runs, and the password in PGPASSWORD or"
              + " ~/.pgpass)",
          e);
    }
    try {
      return new JdbcStateStore(new PostgresDialect(pool, pool));
    } catch (RuntimeException | Error e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens the store over {@code dataSource}, which the caller configures, bounds and closes (after
   * the store).
   */
  public static StateStore open(DataSource dataSource) {
    if (dataSource == null) {
      throw new IllegalArgumentException("the postgresql data source must not be null");
    }
    return new JdbcStateStore(new PostgresDialect(dataSource, null));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).replace('\n', ' ');
  }
}
