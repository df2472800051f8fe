package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --store: the state on PostgreSQL, blobs in the home, and the password never shown. */
class StoreOptionTest {
  @TempDir Path home;
  @TempDir Path dir;

  @Test
  void aRunOnPostgresIsSeenByStatusWhichShowsTheStoreButNeverItsPassword() {
    Postgres.Database db = Postgres.freshDatabase();
    String url = "postgresql://postgres:s3cret-pw@localhost:" + db.port() + "/" + db.name();
    ChainPipeline chain = ChainPipeline.write(dir, "a");
    chain.fix();
    CliRun run =
        CliRun.raw("--store", url, "--home", home.toString(), "run", "-f", chain.file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out() + run.err()).doesNotContain("s3cret-pw");
    // The state is in PostgreSQL, not in the home: no SQLite database was made there.
    assertThat(home.resolve("cairn.db")).doesNotExist();

    CliRun status =
        CliRun.raw(
            "--store", url, "--home", home.toString(), "status", "-f", chain.file.toString());
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("s5");
    assertThat(status.err())
        .contains("store: postgresql://postgres:***@localhost:" + db.port() + "/" + db.name());
    assertThat(status.out() + status.err()).doesNotContain("s3cret-pw");
  }

  @Test
  void aStoreThatCannotBeOpenedIsReportedWithoutItsPassword() throws Exception {
    String url =
        "postgresql://postgres:s3cret-pw@localhost:" + Postgres.port() + "/no_such_database";
    Files.createDirectories(home);
    CliRun r = cairn(home, "--store", url, "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no_such_database").doesNotContain("s3cret-pw");
  }

  @Test
  void aStoreThatIsNotAPostgresqlUrlIsRefusedSayingWhatItTakes() {
    CliRun r = cairn(home, "--store", "mysql://u:pw@h/db", "status");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("--store takes a url such as postgresql://user@host:5432/db")
        .doesNotContain(":pw@");
  }
}
