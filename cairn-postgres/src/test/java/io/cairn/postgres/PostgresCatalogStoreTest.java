package io.cairn.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.OnPostgres;
import io.cairn.spi.StateStore;
import io.cairn.testkit.CatalogStoreContract;
import io.cairn.testkit.Postgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalog-store contract on a real PostgreSQL, and a registration that outlives its store. */
class PostgresCatalogStoreTest extends CatalogStoreContract<StateStore> {
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

  @Test
  void aRegistrationSurvivesReopening() {
    catalog().register(object(1, "a", "x/y"), null, null);
    store.close();
    store = PgFixtures.open(db);
    assertThat(catalog().object(id(1))).isPresent();
  }
}
