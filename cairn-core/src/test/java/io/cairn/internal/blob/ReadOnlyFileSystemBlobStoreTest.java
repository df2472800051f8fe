package io.cairn.internal.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.spi.BlobKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blob store opened for reading creates, records and removes nothing. */
class ReadOnlyFileSystemBlobStoreTest {
  @TempDir Path dir;

  @Test
  void aMissingRootReadsAsEmptyAndIsNotCreated() throws Exception {
    Path root = dir.resolve("blobs");
    FileSystemBlobStore store = FileSystemBlobStore.openReadOnly(root);
    BlobKey key = BlobKey.of("a/b");
    assertThat(store.get(key)).isEmpty();
    assertThat(store.exists(key)).isFalse();
    assertThat(store.info(key)).isEmpty();
    assertThat(store.list("", null, 10).items()).isEmpty();
    assertThat(root).doesNotExist();
  }

  @Test
  void readsWhatAWriterPutAndRecordsNoHashOfItsOwn() throws Exception {
    Path root = dir.resolve("blobs");
    BlobKey key = BlobKey.of("a/b");
    byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
    String sha = new FileSystemBlobStore(root).putBytes(key, bytes).sha256();
    try (Stream<Path> sidecars = Files.list(root.resolve("a"))) {
      for (Path p : sidecars.filter(p -> p.getFileName().toString().endsWith("#sha256")).toList()) {
        Files.delete(p); // a blob whose record is missing (written before records existed)
      }
    }
    List<Path> before = files(root);

    FileSystemBlobStore store = FileSystemBlobStore.openReadOnly(root);
    assertThat(store.getBytes(key)).hasValue(bytes);
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(sha);
    assertThat(store.list("a", null, 10).items()).hasSize(1);
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(bytes)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read-only");
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalStateException.class);
    assertThat(files(root)).isEqualTo(before);
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      return all.sorted().toList();
    }
  }
}
