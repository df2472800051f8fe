package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

  // ---- a key cannot be both a blob and a parent of blobs (a file-system limitation) ----

  @Test
  void putUnderABlobIsRefusedNamingBothKeys() throws IOException {
    store.putBytes(new BlobKey("a"), bytes("parent"));

    for (ThrowingCallable put :
        List.<ThrowingCallable>of(
            () -> store.putBytes(new BlobKey("a/b/c"), bytes("child")),
            () -> store.putBytesIfAbsent(new BlobKey("a/b/c"), bytes("child")))) {
      assertThatThrownBy(put)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'a/b/c'")
          .hasMessageContaining("'a'")
          .hasMessageStartingWith("cannot put blob");
    }
    assertThat(store.getBytes(new BlobKey("a"))).hasValue(bytes("parent"));
    assertThat(keys(store.list("", null, 10))).containsExactly("a");
  }

  @Test
  void putOfAKeyThatIsAParentOfBlobsIsRefusedNamingBothKeys() throws IOException {
    store.putBytes(new BlobKey("a/b/c"), bytes("child"));

    for (ThrowingCallable put :
        List.<ThrowingCallable>of(
            () -> store.putBytes(new BlobKey("a"), bytes("parent")),
            () -> store.putBytesIfAbsent(new BlobKey("a"), bytes("parent")))) {
      assertThatThrownBy(put)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'a'")
          .hasMessageContaining("'a/b/c'");
    }
    assertThat(store.exists(new BlobKey("a"))).isFalse();
    assertThat(keys(store.list("", null, 10))).containsExactly("a/b/c");
  }

  @Test
  void keyBecomesUsableAsParentAgainOnceItsBlobIsDeleted() throws IOException {
    store.putBytes(new BlobKey("a"), bytes("1"));
    store.delete(new BlobKey("a"));
    store.putBytes(new BlobKey("a/b"), bytes("2"));
    store.delete(new BlobKey("a/b"));
    store.putBytes(new BlobKey("a"), bytes("3"));

    assertThat(store.getBytes(new BlobKey("a"))).hasValue(bytes("3"));
    assertThat(keys(store.list("", null, 10))).containsExactly("a");
  }

  // ---- recorded hashes ----

  private static final String SHA256_OF_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String SHA256_OF_ABD =
      "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9";

  private Path record(String key) {
    Path blob = root.resolve(key);
    return blob.resolveSibling("." + blob.getFileName() + "#sha256");
  }

  @Test
  void theFirstInfoRecordsTheHashBesideTheBlobHiddenFromListings() throws IOException {
    assertThat(store.putBytes(new BlobKey("d/abc"), bytes("abc")).sha256())
        .isEqualTo(SHA256_OF_ABC);
    assertThat(record("d/abc"))
        .as("a put writes no record: it costs an atomic write")
        .doesNotExist();

    assertThat(store.info(new BlobKey("d/abc")).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);
    assertThat(record("d/abc")).content().startsWith("v1 " + SHA256_OF_ABC + " 3 ");
    assertThat(keys(store.list("", null, 10))).containsExactly("d/abc");
    assertThat(store.list("", null, 10).items().get(0).sha256()).isNull();
  }

  @Test
  void infoReadsTheRecordedHashInsteadOfRehashing() throws IOException {
    store.putBytes(new BlobKey("abc"), bytes("abc"));
    store.info(new BlobKey("abc")); // records it
    Path blob = root.resolve("abc");
    FileTime modified = Files.getLastModifiedTime(blob);
    // Change the bytes in place behind the store's back, keeping size, time and inode: only a
    // store that reads the record, rather than the file, still answers the old hash.
    try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes("d")), 2);
    }
    Files.setLastModifiedTime(blob, modified);

    try (BlobStore reopened = new FileSystemBlobStore(root)) {
      assertThat(reopened.info(new BlobKey("abc")).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);
    }
    // Once the file is visibly another one, the record is not trusted.
    Files.setLastModifiedTime(blob, FileTime.fromMillis(modified.toMillis() - 5_000));
    assertThat(store.info(new BlobKey("abc")).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABD);
  }

  @Test
  void blobWithoutARecordIsHashedOnDemandAndRecorded() throws IOException {
    // As a blob written before hashes were recorded, or copied in with ordinary tools.
    Files.createDirectories(root.resolve("old"));
    Files.write(root.resolve("old/abc"), bytes("abc"));
    assertThat(record("old/abc")).doesNotExist();

    assertThat(store.info(new BlobKey("old/abc")).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);

    assertThat(record("old/abc")).content().startsWith("v1 " + SHA256_OF_ABC + " ");
    assertThat(store.info(new BlobKey("old/abc")).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);
  }

  @Test
  void recordOfAnEarlierVersionIsNeverTrusted() throws IOException {
    // What a crash between renaming the new blob into place and writing its record leaves: the
    // previous version's record beside the new bytes.
    BlobKey key = new BlobKey("k");
    store.putBytes(key, bytes("abd"));
    store.info(key); // records it
    byte[] earlierRecord = Files.readAllBytes(record("k"));
    store.putBytes(key, bytes("abc"));
    Files.write(record("k"), earlierRecord);

    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);
    assertThat(record("k")).content().startsWith("v1 " + SHA256_OF_ABC + " ");
  }

  @Test
  void tornOrGarbledRecordIsRecomputed() throws IOException {
    BlobKey key = new BlobKey("k");
    for (String garbage :
        List.of("", "v1 " + SHA256_OF_ABD, "v1 " + SHA256_OF_ABD + " 3 x y\n", "\0\0\0\0")) {
      store.putBytes(key, bytes("abc"));
      Files.write(record("k"), bytes(garbage));

      assertThat(store.info(key).orElseThrow().sha256()).as(garbage).isEqualTo(SHA256_OF_ABC);
    }
  }

  @Test
  void deleteRemovesTheRecordAndTheDirectoriesLeftEmpty() throws IOException {
    store.putBytes(new BlobKey("x/y/z"), bytes("abc"));

    assertThat(store.delete(new BlobKey("x/y/z"))).isTrue();

    assertThat(record("x/y/z")).doesNotExist();
    assertThat(root.resolve("x")).doesNotExist();
  }

  // ---- putIfAbsent ----

  @Test
  void putIfAbsentFromTwoStoresOnOneRootWritesExactlyOnce() throws Exception {
    try (BlobStore second = new FileSystemBlobStore(root);
        BlobStore third = new FileSystemBlobStore(root)) {
      racePutIfAbsent(List.of(store, second, third, store, second, third));
    }
    assertThat(tempFiles()).isEmptyDirectory();
  }

  @Test
  void putIfAbsentOntoALeftoverEmptyDirectoryWrites() throws IOException {
    Files.createDirectories(root.resolve("slot"));

    assertThat(store.putBytesIfAbsent(new BlobKey("slot"), bytes("abc"))).isPresent();

    assertThat(store.getBytes(new BlobKey("slot"))).hasValue(bytes("abc"));
    assertThat(tempFiles()).isEmptyDirectory();
  }

  @Test
  void putIfAbsentOfAPresentKeyDoesNotReadTheStream() throws IOException {
    store.putBytes(new BlobKey("k"), bytes("abc"));
    FailingStream untouchable = new FailingStream(0);

    assertThat(store.putIfAbsent(new BlobKey("k"), untouchable)).isEmpty();
    assertThat(tempFiles()).isEmptyDirectory();
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
