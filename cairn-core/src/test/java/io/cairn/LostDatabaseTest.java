package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home that was used and lost its database is refused, not silently started over. */
class LostDatabaseTest {
  @TempDir Path home;

  private void use() {
    try (Cairn cairn = Cairn.open(home)) {
      cairn.collection(
          "logged",
          (ident, args, ctx) -> {
            ctx.log().info("working on {}", ident);
            return Map.of("ok", true);
          });
      assertThat(cairn.fetch("logged", "a").status()).isEqualTo(Status.COMPLETED);
    }
    assertThat(home.resolve("resources")).isDirectory();
  }

  private void removeDatabaseFiles() throws IOException {
    Files.deleteIfExists(home.resolve("cairn.db-wal"));
    Files.deleteIfExists(home.resolve("cairn.db-shm"));
  }

  @Test
  void aUsedHomeWhoseDatabaseWasTruncatedToZeroBytesIsRefused() throws IOException {
    use();
    removeDatabaseFiles();
    Files.write(home.resolve("cairn.db"), new byte[0]);
    assertThatThrownBy(() -> Cairn.open(home))
        .isInstanceOf(CairnException.class)
        .hasMessage(
            "home "
                + home.toAbsolutePath().normalize()
                + " was used (it has resources/, blobs/) but its database cairn.db is empty (0"
                + " bytes): restore cairn.db from a backup, or remove resources/, blobs/ to start"
                + " over");
    assertThat(Files.size(home.resolve("cairn.db"))).isZero();
  }

  @Test
  void aUsedHomeWhoseDatabaseIsMissingIsRefusedAndNothingIsCreated() throws IOException {
    use();
    Files.createDirectories(home.resolve("blobs").resolve("p").resolve("t"));
    Files.writeString(home.resolve("blobs/p/t/out"), "x");
    Files.delete(home.resolve("cairn.db"));
    removeDatabaseFiles();
    assertThatThrownBy(() -> Cairn.open(home))
        .hasMessageContaining("(it has resources/, blobs/)")
        .hasMessageContaining("cairn.db is missing");
    assertThat(home.resolve("cairn.db")).doesNotExist();
  }

  @Test
  void aFreshOrEmptyHomeStillOpens() throws IOException {
    try (Cairn cairn = Cairn.open(home.resolve("new"))) {
      assertThat(cairn.collections()).isEmpty();
    }
    // Opened once and used for nothing: only the blob store's temp directory is left.
    Files.delete(home.resolve("new/cairn.db"));
    removeDatabaseFilesOf(home.resolve("new"));
    try (Cairn cairn = Cairn.open(home.resolve("new"))) {
      assertThat(cairn.collections()).isEmpty();
    }
    Files.createDirectories(home.resolve("empty/resources"));
    try (Cairn cairn = Cairn.open(home.resolve("empty"))) {
      assertThat(cairn.collections()).isEmpty();
    }
  }

  private static void removeDatabaseFilesOf(Path h) throws IOException {
    Files.deleteIfExists(h.resolve("cairn.db-wal"));
    Files.deleteIfExists(h.resolve("cairn.db-shm"));
  }
}
