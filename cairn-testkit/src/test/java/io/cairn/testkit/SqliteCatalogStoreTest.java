package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SqliteCatalogStoreTest extends CatalogStoreContract<StateStore> {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.sqlite(dir.resolve("cairn.db"));
  }

  @Override
  protected StateStore secondInstance() {
    return newStore(tempDir);
  }

  @Test
  void aRegistrationSurvivesReopening() {
    catalog().register(object(1, "a", "x/y"), null, null);
    store.close();
    store = newStore(tempDir);
    assertThat(catalog().object(id(1))).isPresent();
  }

  @Test
  void aVersionTwoDatabaseIsUpgradedAndKeepsACatalog() throws Exception {
    java.nio.file.Files.createDirectories(tempDir.resolve("old"));
    try (StateStore old = SqliteFixtures.versionTwo(tempDir.resolve("old"))) {
      old.catalogStore().register(object(1, "a", "x/y"), null, null);
      assertThat(old.catalogStore().object(id(1))).isPresent();
      assertThat(old.mapSize("old-map")).isEqualTo(3);
    }
  }
}
