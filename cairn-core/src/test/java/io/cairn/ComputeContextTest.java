package io.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComputeContextTest {
  @TempDir Path home;
  Cairn cairn;

  @BeforeEach
  void open() {
    cairn = Cairn.open(home);
  }

  @AfterEach
  void close() {
    cairn.close();
  }

  @Test
  void logLinesGoToTheirOwnResourceLogWithLevelAndSource() {
    cairn.collection(
        "greet",
        (ident, args, ctx) -> {
          ctx.log().info("hello {}", ident);
          ctx.log().warn("careful with {}", ident);
          return ident;
        });
    cairn.fetch("greet", "alice");
    cairn.fetch("greet", "bob");
    String alice = cairn.log("greet", "alice");
    assertThat(alice).contains("INFO  hello alice (ComputeContextTest.java:");
    assertThat(alice).contains("WARN  careful with alice");
    assertThat(alice).doesNotContain("bob");
    assertThat(alice.lines().findFirst().orElseThrow()).matches("--- attempt 1 by .+ ---");
    assertThat(alice.lines().skip(1).findFirst().orElseThrow())
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  hello alice .*");
    assertThat(cairn.log("greet", "bob")).contains("hello bob").doesNotContain("alice");
  }

  @Test
  void failureStoresTheStackTraceAndFetchDoesNotThrow() {
    cairn.collection(
        "boom",
        (ident, args, ctx) -> {
          ctx.log().info("about to fail");
          throw new IllegalStateException("This is an error!");
        });
    Resource r = cairn.fetch("boom", "x");
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.error())
        .startsWith("java.lang.IllegalStateException: This is an error!")
        .contains("at io.cairn.ComputeContextTest");
    assertThat(cairn.error("boom", "x")).contains(r.error());
    assertThat(cairn.log("boom", "x")).contains("about to fail").contains("This is an error!");
    assertThat(cairn.why("boom", "x").reason()).isEqualTo(Why.Reason.ERROR);
    assertThat(cairn.why("boom", "x").message()).contains("This is an error!");
  }

  @Test
  void failedRecomputeKeepsThePreviousResultReadable() {
    AtomicInteger calls = new AtomicInteger();
    cairn.collection(
        "once",
        (ident, args, ctx) -> {
          if (calls.incrementAndGet() > 1) {
            throw new RuntimeException("second run breaks");
          }
          return Map.of("good", true);
        });
    cairn.fetch("once", "r");
    Resource r = cairn.fetch("once", "r", Map.of(), true);
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.result()).isEqualTo(Map.of("good", true));
    assertThat(r.error()).contains("second run breaks");
  }

  @Test
  void resultThatIsNotJsonMakesTheResourceErrorAndAFixedFunctionLaterSucceeds() {
    cairn.collection("bad", (ident, args, ctx) -> new Object());
    Resource r = cairn.fetch("bad", "x");
    assertThat(r.status()).isEqualTo(Status.ERROR);
    assertThat(r.error()).contains("cannot be stored as JSON").contains("java.lang.Object");
    assertThat(r.result()).isNull();
    cairn.close();
    cairn = Cairn.open(home);
    cairn.collection("bad", (ident, args, ctx) -> Map.of("fixed", 1));
    Resource fixed = cairn.fetch("bad", "x");
    assertThat(fixed.status()).isEqualTo(Status.COMPLETED);
    assertThat(fixed.result()).isEqualTo(Map.of("fixed", 1));
    assertThat(fixed.error()).isNull();
  }

  @Test
  void storageIsCreatedOnFirstUseInsideTheResourceDirectory() throws Exception {
    cairn.collection(
        "files",
        (ident, args, ctx) -> {
          Path out = ctx.storage().resolve("out.txt");
          Files.writeString(out, "data for " + ident);
          return out.toString();
        });
    cairn.collection("nofiles", (ident, args, ctx) -> 1);
    Resource r = cairn.fetch("files", "f1");
    assertThat(Path.of((String) r.result())).hasContent("data for f1");
    assertThat(r.paths().storage()).startsWith(r.paths().base());
    assertThat(r.paths().asMap()).containsKeys("base", "log", "storage");
    Resource none = cairn.fetch("nofiles", "n");
    assertThat(none.paths().storage()).doesNotExist();
    assertThat(none.paths().log()).doesNotExist();
  }

  @Test
  void hostileIdentsNeverWriteOutsideTheirResourceDirectory() throws Exception {
    cairn.collection(
        "paths",
        (ident, args, ctx) -> {
          ctx.log().info("computing");
          Files.writeString(ctx.storage().resolve("f"), ident);
          return ctx.storage().toString();
        });
    String[] hostile = {
      "../../escape",
      "..",
      ".",
      "a/b/c",
      "/abs/path",
      "x".repeat(10_000),
      "back\\slash",
      "ünïcødé",
      "%2e%2e",
      ".hidden"
    };
    java.util.Set<Path> bases = new java.util.HashSet<>();
    Files.createDirectories(home.resolve("resources").resolve("paths"));
    Path collectionDir = home.resolve("resources").resolve("paths").toRealPath();
    for (String ident : hostile) {
      Resource r = cairn.fetch("paths", ident);
      assertThat(r.status()).as(ident).isEqualTo(Status.COMPLETED);
      Path base = r.paths().base().toRealPath();
      assertThat(base.getParent()).as(ident).isEqualTo(collectionDir);
      assertThat(base.getFileName().toString().length()).isLessThanOrEqualTo(255);
      assertThat(Files.readString(base.resolve("storage").resolve("f"))).isEqualTo(ident);
      assertThat(cairn.resource("paths", ident).ident()).isEqualTo(ident);
      bases.add(base);
    }
    assertThat(bases).hasSize(hostile.length);
    try (var files = Files.list(home)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.startsWith("cairn.db") || n.equals("resources") || n.equals("blobs"));
    }
  }
}
