package io.cairn.server.internal;

/** Every test of {@link LiveAndMetricsTest}, against a server whose state is in PostgreSQL. */
class LiveAndMetricsOnPostgresTest extends LiveAndMetricsTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
