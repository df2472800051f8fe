package io.cairn.testkit;

import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;

class SqliteMapStoreTest extends MapStoreContract<StateStore> {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.sqlite(dir.resolve("cairn.db"));
  }

  @Override
  protected StateStore secondInstance() {
    return newStore(tempDir);
  }

  /** Schema version 2 (resources and maps, before the shared map-entry sequence) with rows. */
  @Override
  protected StateStore openOlderSchema(Path dir) throws Exception {
    return SqliteFixtures.versionTwo(dir);
  }
}
