package io.cairn.testkit;

import io.cairn.spi.StateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The store under test and its lifecycle, shared by the parts of the state-store contract. */
public abstract class StateStoreContractBase {
  @TempDir protected Path tempDir;
  protected StateStore store;

  /** A new, empty store (files, if any, under {@code dir}). */
  protected abstract StateStore newStore(Path dir);

  /**
   * Another instance of the store under test sharing its data, as a second process would open it (a
   * second connection to the same database). A backend whose data lives in one object returns
   * {@link #store} itself; the caller closes what this returns unless it is {@link #store}.
   */
  protected StateStore secondInstance() {
    return store;
  }

  @BeforeEach
  void openStore() {
    store = newStore(tempDir);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
