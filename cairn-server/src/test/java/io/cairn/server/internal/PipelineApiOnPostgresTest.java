package io.cairn.server.internal;

/** Every test of {@link PipelineApiTest}, against a server whose state is in PostgreSQL. */
class PipelineApiOnPostgresTest extends PipelineApiTest {
  @Override
  TestServer server() {
    return TestServer.onPostgres();
  }
}
