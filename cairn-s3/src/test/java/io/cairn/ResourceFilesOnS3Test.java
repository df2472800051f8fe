package io.cairn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.engine.ResourceFileBlobs;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection resource's own files (its storage directory) are copied to the blob store when its
 * attempt completes if the blobs are in S3, and read back from there; a resource without files, a
 * failed attempt and a local home publish none.
 */
class ResourceFilesOnS3Test {
  @TempDir Path home;
  @TempDir Path localHome;

  private static List<String> keys(Cairn cairn, String prefix) {
    return cairn.blobs().listAll(prefix).map(BlobInfo::key).map(BlobKey::value).toList();
  }

  @Test
  void aCompletedResourcesFilesArePublishedAndListedFromTheBucket() throws Exception {
    try (Cairn cairn = S3Blobs.open(home)) {
      cairn.collection(
          "render",
          (ident, args, ctx) -> {
            Files.writeString(ctx.storage().resolve("page.html"), "<p>" + ident + "</p>");
            Files.createDirectories(ctx.storage().resolve("img"));
            Files.write(ctx.storage().resolve("img/a b.png"), new byte[] {1, 2, 3});
            return Map.of("files", 2);
          });
      cairn.collection("plain", (ident, args, ctx) -> ident);

      cairn.fetch("render", "k/1");
      cairn.fetch("plain", "k");

      assertThat(cairn.blobs().getBytes(ResourceFileBlobs.of("render", "k/1", "page.html")))
          .hasValue("<p>k/1</p>".getBytes(UTF_8));
      assertThat(ResourceFileBlobs.list(cairn.blobs(), "render", "k/1", 10))
          .extracting(ResourceFileBlobs.Listed::path)
          .containsExactly("img/a b.png", "page.html");
      assertThat(keys(cairn, "resources/plain/"))
          .as("a resource that wrote no files (nor log lines) publishes nothing")
          .isEmpty();
    }
  }

  @Test
  void aFailedAttemptPublishesNoFilesAndALocalHomeKeepsThemLocal() throws Exception {
    try (Cairn cairn = S3Blobs.open(home)) {
      cairn.collection(
          "half",
          (ident, args, ctx) -> {
            Files.writeString(ctx.storage().resolve("partial.txt"), "half done");
            throw new IllegalStateException("broke after writing");
          });
      Resource failed = cairn.fetch("half", "x");
      assertThat(failed.status()).isEqualTo(Status.ERROR);
      assertThat(failed.error()).contains("broke after writing");
      assertThat(keys(cairn, ResourceFileBlobs.directory("half", "x").value() + "/")).isEmpty();
    }
    try (Cairn cairn = Cairn.open(localHome)) {
      cairn.collection(
          "render",
          (ident, args, ctx) -> {
            Files.writeString(ctx.storage().resolve("page.html"), ident);
            return null;
          });
      Resource r = cairn.fetch("render", "k");
      assertThat(r.paths().storage().resolve("page.html")).hasContent("k");
      assertThat(keys(cairn, ResourceFileBlobs.directory("render", "k").value() + "/"))
          .as("the local store does not hold a second copy")
          .isEmpty();
    }
  }
}
