package io.cairn.durable;

import io.cairn.Cairn;
import io.cairn.OnPostgres;
import io.cairn.testkit.Postgres;

/** Every test of {@link TrackerTest}, on PostgreSQL (a fresh database per test). */
class TrackerOnPostgresTest extends TrackerTest {
  private final Postgres.Database db = OnPostgres.freshDatabase();

  @Override
  Cairn.Builder builder() {
    return OnPostgres.builder(home, db);
  }

  /** A fifth of the load tests' items: each transaction costs a few round trips here. */
  @Override
  int scaled(int n) {
    return n / 5;
  }
}
