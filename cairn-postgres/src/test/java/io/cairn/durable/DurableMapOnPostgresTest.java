package io.cairn.durable;

import io.cairn.Cairn;
import io.cairn.OnPostgres;
import io.cairn.testkit.Postgres;

/** Every test of {@link DurableMapTest}, on PostgreSQL (a fresh database per test). */
class DurableMapOnPostgresTest extends DurableMapTest {
  private final Postgres.Database db = OnPostgres.freshDatabase();

  @Override
  Cairn.Builder builder() {
    return OnPostgres.builder(home, db);
  }
}
