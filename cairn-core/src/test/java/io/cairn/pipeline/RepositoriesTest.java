package io.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Cairn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoriesTest {
  @TempDir Path dir;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void filesAreKeyedByNameWithoutTheExtensionAndWrittenAtomically() throws Exception {
    StreamRepository files = Repositories.files(dir.resolve("f"), ".txt");
    assertThat(files.keys()).isEmpty(); // the directory does not exist yet
    files.write("b", bytes("two"));
    files.write("a", bytes("one"));
    Files.writeString(dir.resolve("f").resolve("other.csv"), "not ours");
    Files.writeString(dir.resolve("f").resolve("has space.txt"), "invalid key");
    assertThat(files.keys()).containsExactly("a", "b");
    assertThat(files.invalidKeys()).containsExactly("has space");
    assertThat(new String(files.read("a"), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(files.info("a"))
        .contains(dir.resolve("f").resolve("a.txt").toAbsolutePath().toString());
    assertThat(files.contains("c")).isFalse();
    files.write("a", bytes("ONE"));
    assertThat(new String(files.read("a"), StandardCharsets.UTF_8)).isEqualTo("ONE");
    try (var listing = Files.list(dir.resolve("f"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
    }
    assertThat(files.delete("a")).isTrue();
    assertThat(files.delete("a")).isFalse();
    assertThatThrownBy(() -> files.write("../escape", bytes("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid job key");
    assertThatThrownBy(() -> files.open("missing"))
        .isInstanceOf(java.io.FileNotFoundException.class);
  }

  @Test
  void directoriesMetadataAndMemoryRepositoriesKeepTheirValues() throws Exception {
    Repository dirs = Repositories.directories(dir.resolve("d"));
    Files.createDirectories(dir.resolve("d").resolve("job1"));
    assertThat(dirs.keys()).containsExactly("job1");
    assertThat(dirs.info("job1")).contains(dir.resolve("d").resolve("job1").toString());
    assertThat(dirs.delete("job1")).isTrue();

    for (ValueRepository meta :
        List.of(
            Repositories.metadata(dir.resolve("json")),
            Repositories.yamlMetadata(dir.resolve("yaml")))) {
      meta.put("k", Map.of("n", 1, "tags", List.of("a", "b")));
      assertThat(meta.get("k")).contains(Map.of("n", 1, "tags", List.of("a", "b")));
      assertThat(meta.keys()).containsExactly("k");
      assertThatThrownBy(() -> meta.put("k", new Object()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(meta.get("k")).contains(Map.of("n", 1, "tags", List.of("a", "b")));
    }
    assertThat(Files.readString(dir.resolve("yaml").resolve("k.yaml")))
        .contains("- a")
        .doesNotContain("---");

    ValueRepository mem = Repositories.inMemory("m");
    mem.put("x", List.of(1));
    assertThat(mem.get("x")).contains(List.of(1));
    assertThat(mem.delete("x")).isTrue();
    assertThat(mem.keys()).isEmpty();
  }

  @Test
  void blobsLiveUnderAPrefixOfTheBlobStore() throws Exception {
    try (Cairn cairn = Cairn.open(dir.resolve("home"))) {
      StreamRepository blobs = Repositories.blobs(cairn.blobs(), "raw/books");
      blobs.write("moby", bytes("call me"));
      cairn
          .blobs()
          .putBytes(
              io.cairn.spi.BlobKey.of("raw", "books", "nested", "deeper"), bytes("not a key"));
      assertThat(blobs.keys()).containsExactly("moby");
      assertThat(new String(blobs.read("moby"), StandardCharsets.UTF_8)).isEqualTo("call me");
      assertThat(blobs.info("moby"))
          .hasValueSatisfying(i -> assertThat(i.toString()).contains("raw/books/moby"));
      assertThat(blobs.delete("moby")).isTrue();
      assertThat(blobs.contains("moby")).isFalse();
    }
  }

  @Test
  void aCollectionIsARepositoryOfItsCompletedResources() {
    try (Cairn cairn = Cairn.open(dir.resolve("home"))) {
      cairn.collection(
          "sq",
          (ident, args, ctx) -> {
            if (ident.equals("bad")) {
              throw new IllegalStateException("no");
            }
            return Integer.parseInt(ident) * 2;
          });
      cairn.fetch("sq", "3");
      cairn.fetch("sq", "bad");
      Repository done = Repositories.collection(cairn, "sq");
      assertThat(done.keys()).containsExactly("3");
      assertThat(done.contains("bad")).isFalse();
      assertThat(done.info("3")).contains(6);
      assertThatThrownBy(() -> done.delete("3")).isInstanceOf(UnsupportedOperationException.class);
      assertThat(Repositories.collection(cairn, "never").keys()).isEmpty();
    }
  }

  @Test
  void combinatorsComposeMembership() {
    ValueRepository a = Repositories.inMemory("a");
    ValueRepository b = Repositories.inMemory("b");
    for (String k : List.of("1", "2", "3")) {
      a.put(k, "a" + k);
    }
    for (String k : List.of("2", "3", "4")) {
      b.put(k, "b" + k);
    }
    assertThat(Repositories.allOf(a, b).keys()).containsExactly("2", "3");
    assertThat(Repositories.allOf(a, b).info("2")).contains("a2");
    assertThat(Repositories.anyOf(a, b).keys()).containsExactlyInAnyOrder("1", "2", "3", "4");
    assertThat(Repositories.anyOf(a, b).info("4")).contains("b4");
    assertThat(Repositories.blockedBy(a, b).keys()).containsExactly("1");
    assertThat(Repositories.blockedBy(a, b).contains("2")).isFalse();
    Repository odd = Repositories.filtered(a, k -> Integer.parseInt(k) % 2 == 1, "odd");
    assertThat(odd.keys()).containsExactly("1", "3");
    assertThat(odd.describe()).contains("odd");
    Repository shifted =
        Repositories.mapped(
            a,
            k -> Integer.toString(Integer.parseInt(k) - 10),
            k -> Integer.toString(Integer.parseInt(k) + 10),
            "+10");
    assertThat(shifted.keys()).containsExactly("11", "12", "13");
    assertThat(shifted.contains("12")).isTrue();
    assertThat(shifted.info("13")).contains("a3");
    ValueRepository relation = Repositories.inMemory("rel");
    relation.put("job-x", "3");
    relation.put("job-y", "9");
    Repository related = Repositories.related(a, relation);
    assertThat(related.keys()).containsExactly("job-x");
    assertThat(related.info("job-x")).contains("a3");
    assertThat(related.contains("job-y")).isFalse();
    assertThatThrownBy(() -> Repositories.allOf()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Repositories.allOf(a).delete("1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
