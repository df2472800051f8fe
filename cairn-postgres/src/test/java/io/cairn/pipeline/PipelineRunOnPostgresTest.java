package io.cairn.pipeline;

import io.cairn.Cairn;
import io.cairn.OnPostgres;
import io.cairn.testkit.Postgres;

/** Every test of {@link PipelineRunTest}, on PostgreSQL (a fresh database per test). */
class PipelineRunOnPostgresTest extends PipelineRunTest {
  private final Postgres.Database db = OnPostgres.freshDatabase();

  @Override
  Cairn.Builder builder() {
    return OnPostgres.builder(home, db);
  }
}
