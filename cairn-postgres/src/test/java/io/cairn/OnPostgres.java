package io.cairn;

import io.cairn.postgres.PostgresStore;
import io.cairn.testkit.Postgres;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Opens Cairns whose state is in a PostgreSQL database (blobs stay in the home), for cairn-core's
 * end-to-end tests run again here on PostgreSQL: every call is another instance on the same state,
 * as another process would be.
 */
public final class OnPostgres {
  private OnPostgres() {}

  /** Leaves the current schema in a database: a store opened and closed on it. */
  private static final Consumer<Postgres.Database> MIGRATE =
      db -> PostgresStore.open(db.url(), 2).close();

  /** A fresh database at the current schema (copied from a template migrated once per JVM). */
  public static Postgres.Database freshDatabase() {
    return Postgres.freshDatabase(MIGRATE);
  }

  public static Cairn.Builder builder(Path home, Postgres.Database db) {
    return Cairn.builder().home(home).stateStore(PostgresStore.open(db.url(), 4));
  }
}
