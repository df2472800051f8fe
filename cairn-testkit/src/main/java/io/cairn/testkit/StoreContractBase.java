package io.cairn.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store under test and its lifecycle, shared by the state contract suites ({@link
 * ResourceStoreContract}, {@link MapStoreContract}).
 *
 * @param <S> the store type under test: an SPI ({@code ResourceStore}, {@code MapStore}) or a
 *     backend's class implementing several
 */
public abstract class StoreContractBase<S extends AutoCloseable> {
  @TempDir protected Path tempDir;
  protected S store;

  /** A new, empty store (files, if any, under {@code dir}). */
  protected abstract S newStore(Path dir);

  /**
   * Another instance of the store under test sharing its data, as a second process would open it (a
   * second connection to the same database). A backend whose data lives in one object returns
   * {@link #store} itself; the caller closes what this returns unless it is {@link #store}.
   */
  protected S secondInstance() {
    return store;
  }

  /**
   * Erases whatever an earlier test left in {@code store}, which {@link #newStore} just opened. A
   * backend whose {@code newStore} opens a shared database (a server started once per test run)
   * deletes its rows here; the default does nothing, because the default {@code newStore} makes a
   * new, empty store per test.
   */
  protected void reset(S store) {}

  /**
   * Writes the older-schema fixture with an older schema version's own SQL (not through the current
   * store), and returns the current store opened on it, which upgrades it; or {@code null} when the
   * backend has no older schema, and the upgrade contract is skipped. The fixture holds, with
   * counts that match its rows:
   *
   * <ul>
   *   <li>collection {@code "old"}: {@code done-0} ... {@code done-4} COMPLETED (attempts 1, result
   *       {@code 42}), then {@code queued-0} ... {@code queued-2} QUEUED (attempts 0), inserted in
   *       that order;
   *   <li>durable map {@code "old-map"}: {@code a=1}, {@code b=2}, {@code c=3}, in that order.
   * </ul>
   *
   * @param dir an empty directory for the fixture's files, if any
   */
  protected S openOlderSchema(Path dir) throws Exception {
    return null;
  }

  @BeforeEach
  void openStore() {
    store = newStore(tempDir);
    reset(store);
  }

  @AfterEach
  void closeStore() throws Exception {
    store.close();
  }
}
