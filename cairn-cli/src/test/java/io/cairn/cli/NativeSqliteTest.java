package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A real cairn process loads SQLite's library from the cache dir, and mends a damaged copy. */
@EnabledOnOs(OS.LINUX)
class NativeSqliteTest {
  @TempDir Path home;
  @TempDir Path cache;

  @Test
  void theLibraryIsCopiedOnceAndADamagedCopyIsMadeAgain() throws Exception {
    WordCountFixture.fill(home, 3);

    Result first = cairn("status");
    assertThat(first.code).isZero();
    assertThat(first.out).contains("wordcount");
    Path lib = onlyLibrary();
    long size = Files.size(lib);
    assertThat(size).isGreaterThan(100_000);

    Files.writeString(lib, "damaged");
    Result second = cairn("status");
    assertThat(second.code).isZero();
    assertThat(second.out).contains("wordcount");
    assertThat(second.err.lines().filter(l -> !l.startsWith("home: ")))
        .as("nothing on stderr but the home status names")
        .isEmpty();
    assertThat(Files.size(onlyLibrary())).isEqualTo(size);
  }

  private Path onlyLibrary() throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> libs = files.filter(p -> p.endsWith("libsqlitejdbc.so")).toList();
      assertThat(libs).hasSize(1);
      assertThat(libs.get(0).toString()).contains("cairn/sqlite-");
      return libs.get(0);
    }
  }

  private record Result(int code, String out, String err) {}

  private Result cairn(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--home",
                home.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    Path out = Files.createTempFile(cache.getParent(), "out", ".txt");
    Path err = Files.createTempFile(cache.getParent(), "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("cairn exits within 60 s").isTrue();
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
