package io.cairn.postgres;

import io.cairn.OnPostgres;
import io.cairn.spi.StateStore;
import io.cairn.testkit.MapStoreContract;
import io.cairn.testkit.Postgres;
import java.nio.file.Path;

/** The durable-map contract on a real PostgreSQL. */
class PostgresMapStoreTest extends MapStoreContract<StateStore> {
  private Postgres.Database db;

  @Override
  protected StateStore newStore(Path dir) {
    db = OnPostgres.freshDatabase();
    return PgFixtures.open(db);
  }

  @Override
  protected StateStore secondInstance() {
    return PgFixtures.open(db);
  }

  @Override
  protected StateStore openOlderSchema(Path dir) throws Exception {
    return PgFixtures.versionTwo();
  }
}
