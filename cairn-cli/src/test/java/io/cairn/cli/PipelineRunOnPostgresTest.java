package io.cairn.cli;

import io.cairn.testkit.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Every test of {@link PipelineRunTest} with --store on PostgreSQL (a fresh database per test). */
class PipelineRunOnPostgresTest extends PipelineRunTest {
  @BeforeEach
  void onPostgres() {
    CliRun.store = Postgres.freshDatabase().url();
  }

  @AfterEach
  void offPostgres() {
    CliRun.store = null;
  }
}
