package io.cairn.server.internal;

/** Every test of {@link OpenApiTest}, against a server whose state is in PostgreSQL. */
class OpenApiOnPostgresTest extends OpenApiTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
