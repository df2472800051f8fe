package io.cairn.testkit;

import io.cairn.spi.StateStore;
import io.cairn.spi.StateStores;
import java.nio.file.Path;

class InMemoryMapStoreTest extends MapStoreContract<StateStore> {
  @Override
  protected StateStore newStore(Path dir) {
    return StateStores.inMemory();
  }
}
