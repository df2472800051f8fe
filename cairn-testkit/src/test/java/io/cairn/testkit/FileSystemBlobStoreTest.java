package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FileSystemBlobStoreTest extends BlobStoreContract {

  private Path root;

  @Override
  protected BlobStore newStore(Path tempDir) {
    root = tempDir.resolve("blobs");
    return new FileSystemBlobStore(root);
  }

  private Path tempFiles() {
    return root.resolve(FileSystemBlobStore.TEMP_DIR_NAME);
  }

  @Test
  void blobLivesAtItsKeyPath() throws IOException {
    store.putBytes(new BlobKey("a/b/c.txt"), bytes("content"));

    assertThat(root.resolve("a/b/c.txt")).hasContent("content");
    assertThat(tempFiles()).isEmptyDirectory();
  }

  @Test
  void leftoverTempFileNeverAppearsAsABlob() throws IOException {
    // What a crash between writing and renaming leaves behind.
    Files.write(tempFiles().resolve("put-crashed.part"), bytes("half"));
    store.putBytes(new BlobKey("real"), bytes("whole"));

    assertThat(keys(store.list("", null, 100))).containsExactly("real");
    assertThat(store.listAll("")).hasSize(1);
    assertThat(keys(store.list(".", null, 100))).isEmpty();
  }

  @Test
  void staleTempFilesAreDeletedOnOpenAndFreshOnesKept() throws IOException {
    Path stale = Files.write(tempFiles().resolve("put-stale.part"), bytes("old"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = Files.write(tempFiles().resolve("put-fresh.part"), bytes("in progress"));

    try (BlobStore reopened = new FileSystemBlobStore(root)) {
      assertThat(reopened.list("", null, 10).items()).isEmpty();
    }

    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void failedPutKeepsTheOldValueAndLeavesNoGarbage() throws IOException {
    BlobKey key = new BlobKey("k/v");
    store.putBytes(key, bytes("old"));

    assertThatThrownBy(() -> store.put(key, new FailingStream(3 * 1024 * 1024)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("source broke");

    assertThat(store.getBytes(key)).hasValue(bytes("old"));
    assertThat(keys(store.list("", null, 10))).containsExactly("k/v");
    assertThat(tempFiles()).isEmptyDirectory();
  }

  @Test
  void failedPutOfANewKeyLeavesItAbsent() throws IOException {
    BlobKey key = new BlobKey("new/key");

    assertThatThrownBy(() -> store.put(key, new FailingStream(100_000)))
        .isInstanceOf(IOException.class);

    assertThat(store.exists(key)).isFalse();
    assertThat(root.resolve("new/key")).doesNotExist();
    assertThat(store.list("", null, 10).items()).isEmpty();
    assertThat(tempFiles()).isEmptyDirectory();
  }

  @Test
  void deleteRemovesDirectoriesItLeavesEmpty() throws IOException {
    store.putBytes(new BlobKey("x/y/z/1"), bytes("1"));
    store.putBytes(new BlobKey("x/2"), bytes("2"));

    store.delete(new BlobKey("x/y/z/1"));

    assertThat(root.resolve("x/y")).doesNotExist();
    assertThat(root.resolve("x/2")).exists();
    store.delete(new BlobKey("x/2"));
    assertThat(root.resolve("x")).doesNotExist();
    assertThat(root).isDirectory();
  }

  @Test
  void filesWithInvalidNamesAndEmptyDirectoriesAreNotListed() throws IOException {
    Files.write(root.resolve("has space"), bytes("foreign"));
    Files.createDirectories(root.resolve("empty/dirs"));
    Files.createDirectories(root.resolve("bad#dir"));
    Files.write(root.resolve("bad#dir/inner"), bytes("foreign"));
    store.putBytes(new BlobKey("ok"), bytes("mine"));

    assertThat(keys(store.list("", null, 10))).containsExactly("ok");
    assertThat(store.exists(new BlobKey("empty/dirs"))).isFalse();
  }

  @Test
  void putOntoALeftoverEmptyDirectoryReplacesIt() throws IOException {
    Files.createDirectories(root.resolve("slot"));

    store.putBytes(new BlobKey("slot"), bytes("value"));

    assertThat(store.getBytes(new BlobKey("slot"))).hasValue(bytes("value"));
  }

  @Test
  void twoStoresOnOneRootSeeEachOthersBlobs() throws IOException {
    try (BlobStore other = new FileSystemBlobStore(root)) {
      other.putBytes(new BlobKey("shared/one"), bytes("1"));

      assertThat(store.getBytes(new BlobKey("shared/one"))).hasValue(bytes("1"));
      assertThat(store.delete(new BlobKey("shared/one"))).isTrue();
      assertThat(other.exists(new BlobKey("shared/one"))).isFalse();
    }
  }

  @Test
  void listingSkipsSubtreesOutsideThePrefixOrBeforeTheCursor() throws IOException {
    store.putBytes(new BlobKey("a/1"), bytes("1"));
    store.putBytes(new BlobKey("m/1"), bytes("2"));
    store.putBytes(new BlobKey("z/1"), bytes("3"));
    // A self-referencing link cannot even be stat'ed: a walk that entered "b" would fail.
    Path loop = Files.createDirectories(root.resolve("b")).resolve("loop");
    Files.createSymbolicLink(loop, loop.getFileName());
    assertThatThrownBy(() -> Files.readAttributes(loop, BasicFileAttributes.class))
        .isInstanceOf(IOException.class);

    assertThat(keys(store.list("m/", null, 10))).containsExactly("m/1");
    assertThat(keys(store.list("", "c", 10))).containsExactly("m/1", "z/1");
    assertThat(keys(store.list("a", null, 10))).containsExactly("a/1");
  }

  /** Hands out {@code before} bytes, then fails like a dropped connection. */
  private static final class FailingStream extends InputStream {
    private long remaining;

    FailingStream(long before) {
      this.remaining = before;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining == 0) {
        throw new IOException("source broke");
      }
      int n = (int) Math.min(length, remaining);
      java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
      remaining -= n;
      return n;
    }
  }
}
