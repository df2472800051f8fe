package io.cairn.spi;

/**
 * Both state stores a Cairn home needs, in one: resources ({@link ResourceStore}) and durable maps
 * ({@link MapStore}), which a backend may keep in one database (one JDBC class implements both).
 * This is what {@code Cairn.builder().stateStore(...)} takes.
 */
public interface StateStore extends ResourceStore, MapStore {

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
