package io.cairn.server.internal;

/** Every test of {@link ApiReadTest}, against a server whose state is in PostgreSQL. */
class ApiReadOnPostgresTest extends ApiReadTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
