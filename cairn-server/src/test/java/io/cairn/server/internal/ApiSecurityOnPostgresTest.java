package io.cairn.server.internal;

/** Every test of {@link ApiSecurityTest}, against a server whose state is in PostgreSQL. */
class ApiSecurityOnPostgresTest extends ApiSecurityTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
