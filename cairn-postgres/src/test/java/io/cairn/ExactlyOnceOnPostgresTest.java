package io.cairn;

import io.cairn.postgres.PostgresStore;
import io.cairn.spi.StateStore;
import io.cairn.testkit.Postgres;

/** Every test of {@link ExactlyOnceTest}, on PostgreSQL (a fresh database per test). */
class ExactlyOnceOnPostgresTest extends ExactlyOnceTest {
  private final Postgres.Database db = OnPostgres.freshDatabase();

  @Override
  Cairn.Builder builder() {
    return OnPostgres.builder(home, db);
  }

  @Override
  StateStore stateStore() {
    return PostgresStore.open(db.url(), 2);
  }
}
