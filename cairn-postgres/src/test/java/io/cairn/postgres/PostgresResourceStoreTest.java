package io.cairn.postgres;

import io.cairn.OnPostgres;
import io.cairn.spi.StateStore;
import io.cairn.testkit.Postgres;
import io.cairn.testkit.ResourceStoreContract;
import java.nio.file.Path;

/** Every resource-store contract (queue, changes, races, lifecycle) on a real PostgreSQL. */
class PostgresResourceStoreTest extends ResourceStoreContract<StateStore> {
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
