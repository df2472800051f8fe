package io.cairn;

import io.cairn.testkit.Postgres;

/** Every test of {@link ConcurrencyTest}, on PostgreSQL (a fresh database per test). */
class ConcurrencyOnPostgresTest extends ConcurrencyTest {
  private final Postgres.Database db = OnPostgres.freshDatabase();

  @Override
  Cairn.Builder builder() {
    return OnPostgres.builder(home, db);
  }
}
