package io.cairn.cli;

import io.cairn.postgres.PostgresStore;
import io.cairn.testkit.Postgres;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Every test of {@link PipelineRunTest} with --store on PostgreSQL (a fresh database per test). */
class PipelineRunOnPostgresTest extends PipelineRunTest {
  /** Leaves the current schema in a database, once per JVM: tests copy it. */
  private static final Consumer<Postgres.Database> MIGRATE =
      db -> PostgresStore.open(db.url(), 2).close();

  @BeforeEach
  void onPostgres() {
    CliRun.store = Postgres.freshDatabase(MIGRATE).url();
  }

  @AfterEach
  void offPostgres() {
    CliRun.store = null;
  }
}
