package io.cairn.server.internal;

/** The catalog routes with the catalog's state in PostgreSQL. */
class CatalogApiOnPostgresTest extends CatalogApiTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
