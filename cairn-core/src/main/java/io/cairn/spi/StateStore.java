package io.cairn.spi;

/**
 * Both state stores a Cairn home needs, in one: resources ({@link ResourceStore}) and durable maps
 * ({@link MapStore}), which a backend may keep in one database (one JDBC class implements both).
 * This is what {@code Cairn.builder().stateStore(...)} takes.
 */
public interface StateStore extends ResourceStore, MapStore {

  /**
   * The catalog's records in this store (the catalog's tables live beside the resources). A store
   * without a catalog throws {@link UnsupportedOperationException} saying so; the default does.
   */
  default CatalogStore catalogStore() {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " keeps no catalog: open the home on SQLite, PostgreSQL or in memory to use"
            + " cairn.catalog()");
  }

  /** Closes connections; idempotent. */
  @Override
  void close();

  /** Validates a page size. */
  static int checkLimit(int limit) {
    if (limit < 1 || limit > 100_000) {
      throw new IllegalArgumentException("page size must be 1 to 100000, got " + limit);
    }
    return limit;
  }
}
