package io.cairn.testkit;

import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;

class InMemoryCatalogStoreTest extends CatalogStoreContract<StateStore> {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.inMemory();
  }
}
