package io.cairn.cli;

import static io.cairn.cli.CliRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResetCommandTest {
  @TempDir Path home;

  @Test
  void resetErrorMakesTheFailingDocumentsQueued() {
    WordCountFixture.fill(home, 200);

    CliRun reset = cairn(home, "reset", "wordcount", "--status", "error", "--json");
    assertThat(reset.code()).isZero();
    assertThat(reset.json().get("reset").asLong()).isEqualTo(2);

    JsonNode row = cairn(home, "status", "--json").json().get("collections").get(0);
    assertThat(row.get("queued").asLong()).isEqualTo(2);
    assertThat(row.get("error").asLong()).isZero();
    assertThat(row.get("completed").asLong()).isEqualTo(198);
    assertThat(
            cairn(home, "why", "wordcount", WordCountFixture.FAILING_1, "--json")
                .json()
                .get("reason")
                .asText())
        .isEqualTo("queued");
    assertThat(cairn(home, "ls", "wordcount", "--status", "queued").outLines())
        .containsExactly(WordCountFixture.FAILING_1, WordCountFixture.FAILING_2);

    CliRun again = cairn(home, "reset", "wordcount", "--status", "error");
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("nothing to reset");
  }

  @Test
  void resetOfAnotherStatusIsAUsageError() {
    WordCountFixture.fill(home, 3);

    CliRun r = cairn(home, "reset", "wordcount", "--status", "completed");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines().get(0))
        .isEqualTo("cairn: reset takes --status error or --status aborted, got 'completed'");
    assertThat(
            cairn(home, "status", "--json")
                .json()
                .get("collections")
                .get(0)
                .get("completed")
                .asLong())
        .isEqualTo(3);
  }
}
