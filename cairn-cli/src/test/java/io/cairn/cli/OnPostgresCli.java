package io.cairn.cli;

import io.cairn.postgres.PostgresStore;
import io.cairn.testkit.Postgres;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs every test of a CLI test class with {@code --store} on a fresh PostgreSQL database:
 * {@code @ExtendWith(OnPostgresCli.class) class XOnPostgresTest extends XTest {}}.
 */
final class OnPostgresCli implements BeforeEachCallback, AfterEachCallback {
  /** Leaves the current schema in a database, once per JVM: tests copy it. */
  private static final Consumer<Postgres.Database> MIGRATE =
      db -> PostgresStore.open(db.url(), 2).close();

  @Override
  public void beforeEach(ExtensionContext context) {
    CliRun.store = Postgres.freshDatabase(MIGRATE).url();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    CliRun.store = null;
  }

  /**
   * One database for the whole class, set before its {@code @BeforeAll} methods: for a test class
   * whose tests share one home filled once.
   */
  static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      CliRun.store = Postgres.freshDatabase(MIGRATE).url();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      CliRun.store = null;
    }
  }
}
