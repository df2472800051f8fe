package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every test of {@link PipelineReadCommandsTest} with --store on PostgreSQL (one database, as the
 * tests share one home).
 */
@ExtendWith(OnPostgresCli.PerClass.class)
class PipelineReadCommandsOnPostgresTest extends PipelineReadCommandsTest {
  /**
   * On PostgreSQL the state is in the database, not in the home: status -f reads it even where no
   * home directory exists (no preview), and still creates none.
   */
  @Override
  @Test
  void withoutAHomeStatusPreviewsTheFirstRunAndCreatesNothing(@TempDir Path scratch) {
    Path none = scratch.resolve("no-home");
    CliRun r = cairn(none, "status", "-f", f, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("preview").asBoolean()).isFalse();
    assertThat(r.json().get("tasks").get(0).get("ready").asLong()).isZero();
    assertThat(none).doesNotExist();
  }
}
