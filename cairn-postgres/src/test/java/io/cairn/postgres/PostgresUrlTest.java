package io.cairn.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.postgres.internal.PostgresUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresUrlTest {
  @TempDir Path dir;

  @Test
  void theUrlGivesHostPortDatabaseAndUserAndItsPasswordWinsButIsNeverShown() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://ann:p%40ss@db.example:6543/cairn?sslmode=require",
            Map.of("PGPASSWORD", "from-env"));
    assertThat(url.host()).isEqualTo("db.example");
    assertThat(url.port()).isEqualTo(6543);
    assertThat(url.database()).isEqualTo("cairn");
    assertThat(url.user()).isEqualTo("ann");
    assertThat(url.password()).isEqualTo("p@ss");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/cairn?sslmode=require");
    assertThat(url.toString()).isEqualTo("postgresql://ann@db.example:6543/cairn");
    assertThat(PostgresUrl.redact("postgresql://ann:p%40ss@db.example/cairn"))
        .isEqualTo("postgresql://ann:***@db.example/cairn");
  }

  @Test
  void withoutAPasswordInTheUrlPgpasswordThenThePasswordFileIsUsed() throws Exception {
    assertThat(PostgresUrl.parse("postgres://ann@h/db", Map.of("PGPASSWORD", "env")).password())
        .isEqualTo("env");
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(
        pgpass, "# comment\nother:5432:db:ann:wrong\nh:5432:*:ann:pa\\:ss\n*:*:*:*:fallback\n");
    Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString());
    assertThat(PostgresUrl.parse("postgresql://ann@h/db", env).password()).isEqualTo("pa:ss");
    assertThat(PostgresUrl.parse("postgresql://bob@h:5433/db", env).password())
        .isEqualTo("fallback");
    assertThat(
            PostgresUrl.parse("postgresql://h/db", Map.of("PGUSER", "carl", "PGPASSFILE", "/nope")))
        .satisfies(
            u -> {
              assertThat(u.user()).isEqualTo("carl");
              assertThat(u.password()).isNull();
            });
  }
}
