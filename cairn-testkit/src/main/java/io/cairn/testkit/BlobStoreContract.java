package io.cairn.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.Page;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link BlobStore} passes. A backend's test extends this class and implements
 * {@link #newStore}; the store is closed after each test.
 */
public abstract class BlobStoreContract {

  /** A fresh, empty store; {@code tempDir} is a new directory the store may use. */
  protected abstract BlobStore newStore(Path tempDir) throws IOException;

  @TempDir protected Path tempDir;

  protected BlobStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = newStore(tempDir);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- put, get, info, exists, delete ----

  @Test
  void putThenGetReturnsSameBytes() throws IOException {
    byte[] bytes = "hello, blob\n\0\u00ff".getBytes(UTF_8);
    BlobKey key = BlobKey.of("a", "b", "c.txt");

    BlobInfo put = store.putBytes(key, bytes);

    assertThat(store.getBytes(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes));
    assertThat(put.key()).isEqualTo(key);
    assertThat(put.size()).isEqualTo(bytes.length);
    assertThat(put.lastModified()).isPositive();
    assertThat(store.info(key)).contains(put);
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void emptyBlobIsStoredAndDistinctFromAbsent() throws IOException {
    BlobKey key = new BlobKey("empty");
    store.putBytes(key, new byte[0]);

    assertThat(store.getBytes(key)).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.info(key)).hasValueSatisfying(i -> assertThat(i.size()).isZero());
    assertThat(store.exists(key)).isTrue();
  }

  @Test
  void missingKeyIsAbsentEverywhere() throws IOException {
    BlobKey key = new BlobKey("no/such/blob");

    assertThat(store.get(key)).isEmpty();
    assertThat(store.getBytes(key)).isEmpty();
    assertThat(store.info(key)).isEmpty();
    assertThat(store.exists(key)).isFalse();
    assertThat(store.delete(key)).isFalse();
  }

  @Test
  void parentOfABlobIsNotItselfABlob() throws IOException {
    store.putBytes(new BlobKey("dir/sub/leaf"), bytes("x"));

    for (String parent : List.of("dir", "dir/sub")) {
      BlobKey key = new BlobKey(parent);
      assertThat(store.exists(key)).as(parent).isFalse();
      assertThat(store.get(key)).as(parent).isEmpty();
      assertThat(store.info(key)).as(parent).isEmpty();
      assertThat(store.delete(key)).as(parent).isFalse();
    }
    assertThat(store.getBytes(new BlobKey("dir/sub/leaf"))).hasValue(bytes("x"));
  }

  @Test
  void keyBelowABlobIsAbsent() throws IOException {
    store.putBytes(new BlobKey("file"), bytes("x"));

    BlobKey below = new BlobKey("file/below");
    assertThat(store.exists(below)).isFalse();
    assertThat(store.get(below)).isEmpty();
    assertThat(store.info(below)).isEmpty();
    assertThat(store.delete(below)).isFalse();
    assertThat(store.list("file/", null, 10).items()).isEmpty();
  }

  @Test
  void keyThatIsBothABlobAndAParentIsEitherStoredOrRefusedWhole() throws IOException {
    // The contract leaves this to the backend: S3 and memory store both, a file system refuses.
    store.putBytes(new BlobKey("a"), bytes("parent"));
    boolean both;
    try {
      store.putBytes(new BlobKey("a/b"), bytes("child"));
      both = true;
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageContaining("'a/b'").hasMessageContaining("'a'");
      both = false;
    }

    assertThat(store.getBytes(new BlobKey("a"))).hasValue(bytes("parent"));
    if (both) {
      assertThat(store.getBytes(new BlobKey("a/b"))).hasValue(bytes("child"));
      assertThat(keys(store.list("", null, 10))).containsExactly("a", "a/b");
      assertThat(keys(store.list("a/", null, 10))).containsExactly("a/b");
      assertThat(store.delete(new BlobKey("a"))).isTrue();
      assertThat(store.getBytes(new BlobKey("a/b"))).hasValue(bytes("child"));
    } else {
      assertThat(store.exists(new BlobKey("a/b"))).isFalse();
      assertThat(keys(store.list("", null, 10))).containsExactly("a");
    }
  }

  @Test
  void downloadUrlIsAbsentOrGetsTheBlobWithoutCredentials() throws Exception {
    BlobKey key = BlobKey.of("dl", "file.bin");
    store.putBytes(key, bytes("download me"));

    java.util.Optional<java.net.URI> url = store.downloadUrl(key, java.time.Duration.ofMinutes(5));

    if (url.isPresent()) {
      java.net.http.HttpResponse<byte[]> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(url.get()).GET().build(),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(bytes("download me"));
    }
    assertThatThrownBy(() -> store.downloadUrl(null, java.time.Duration.ofMinutes(1)))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- content hashes ----

  private static final String SHA256_OF_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String SHA256_OF_NOTHING =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void putAndInfoGiveTheSha256OfTheContent() throws IOException {
    BlobKey key = BlobKey.of("h", "abc");

    BlobInfo put = store.putBytes(key, bytes("abc"));

    assertThat(put.sha256()).isEqualTo(SHA256_OF_ABC);
    assertThat(store.info(key))
        .hasValueSatisfying(i -> assertThat(i.sha256()).isEqualTo(SHA256_OF_ABC));
  }

  @Test
  void emptyBlobHasTheSha256OfNothing() throws IOException {
    BlobKey key = new BlobKey("empty");

    assertThat(store.putBytes(key, new byte[0]).sha256()).isEqualTo(SHA256_OF_NOTHING);
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(SHA256_OF_NOTHING);
  }

  @Test
  void sha256FollowsEveryOverwriteAndIsGoneWithTheBlob() throws IOException {
    BlobKey key = new BlobKey("h/over");
    store.putBytes(key, bytes("abc"));

    assertThat(store.putBytes(key, new byte[0]).sha256()).isEqualTo(SHA256_OF_NOTHING);
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(SHA256_OF_NOTHING);
    byte[] other = filled(70_000, (byte) 9);
    assertThat(store.putBytes(key, other).sha256()).isEqualTo(hex(other));
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(hex(other));
    store.putBytes(key, bytes("abc"));
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(SHA256_OF_ABC);

    store.delete(key);
    assertThat(store.info(key)).isEmpty();
    store.putBytes(key, new byte[0]);
    assertThat(store.info(key).orElseThrow().sha256()).isEqualTo(SHA256_OF_NOTHING);
  }

  @Test
  void listedSha256IsRightOrAbsent() throws IOException {
    store.putBytes(new BlobKey("l/abc"), bytes("abc"));
    store.putBytes(new BlobKey("l/empty"), new byte[0]);

    List<BlobInfo> items = store.list("l/", null, 10).items();

    assertThat(keys(store.list("l/", null, 10))).containsExactly("l/abc", "l/empty");
    assertThat(items.get(0).sha256()).isIn(SHA256_OF_ABC, null);
    assertThat(items.get(1).sha256()).isIn(SHA256_OF_NOTHING, null);
  }

  // ---- putIfAbsent ----

  @Test
  void putIfAbsentWritesAnAbsentKeyAndSaysSo() throws IOException {
    BlobKey key = BlobKey.of("once", "k");

    Optional<BlobInfo> written = store.putBytesIfAbsent(key, bytes("abc"));

    assertThat(written).isPresent();
    assertThat(written.get().key()).isEqualTo(key);
    assertThat(written.get().size()).isEqualTo(3);
    assertThat(written.get().sha256()).isEqualTo(SHA256_OF_ABC);
    assertThat(store.getBytes(key)).hasValue(bytes("abc"));
    assertThat(store.info(key)).isEqualTo(written);
  }

  @Test
  void putIfAbsentLeavesAPresentBlobUntouched() throws IOException {
    BlobKey key = BlobKey.of("once", "k");
    BlobInfo first = store.putBytes(key, bytes("first"));

    assertThat(store.putBytesIfAbsent(key, bytes("second"))).isEmpty();
    assertThat(store.putIfAbsent(key, new GeneratedStream(5_000_000, 1))).isEmpty();

    assertThat(store.getBytes(key)).hasValue(bytes("first"));
    assertThat(store.info(key)).contains(first);
    assertThat(keys(store.list("", null, 10))).containsExactly("once/k");
  }

  @Test
  void putIfAbsentWritesAgainOnceTheBlobIsDeleted() throws IOException {
    BlobKey key = new BlobKey("again");
    assertThat(store.putBytesIfAbsent(key, bytes("1"))).isPresent();
    assertThat(store.delete(key)).isTrue();

    assertThat(store.putBytesIfAbsent(key, bytes("abc")))
        .hasValueSatisfying(i -> assertThat(i.sha256()).isEqualTo(SHA256_OF_ABC));
    assertThat(store.getBytes(key)).hasValue(bytes("abc"));
  }

  @Test
  void putIfAbsentOfAFailingStreamLeavesTheKeyAbsent() throws IOException {
    BlobKey key = new BlobKey("broken");
    InputStream failing =
        new java.io.SequenceInputStream(
            new java.io.ByteArrayInputStream(filled(100_000, (byte) 3)),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("source broke");
              }
            });

    assertThatThrownBy(() -> store.putIfAbsent(key, failing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("source broke");

    assertThat(store.exists(key)).isFalse();
    assertThat(store.list("", null, 10).items()).isEmpty();
    assertThat(store.putBytesIfAbsent(key, bytes("abc"))).isPresent();
  }

  @Test
  void putIfAbsentStreamsALargeBlobAndHashesIt() throws IOException {
    long size = 20L * 1024 * 1024 + 3;
    BlobKey key = new BlobKey("big/once.bin");
    GeneratedStream source = new GeneratedStream(size, 7);

    BlobInfo written = store.putIfAbsent(key, source).orElseThrow();

    assertThat(written.size()).isEqualTo(size);
    assertThat(written.sha256()).isEqualTo(HexFormat.of().formatHex(source.digest()));
    assertThat(store.info(key)).contains(written);
  }

  @Test
  void concurrentPutIfAbsentOfOneKeyWritesExactlyOnce() throws Exception {
    racePutIfAbsent(List.of(store, store, store, store, store, store));
  }

  /**
   * Races {@code stores.size()} threads, one per entry (the same store or several on one storage),
   * each putting its own value if absent, over several keys; exactly one writes per key, readers
   * meanwhile see nothing or the winner whole, and the stored blob is the winner's.
   */
  /**
   * A reader that, from {@code start} until {@code writing} ends, reads {@code key} over and over:
   * whenever it is present it must be one of {@code values}, whole. Returns how many reads saw it.
   */
  private Callable<Integer> wholeValueReader(
      BlobKey key, List<byte[]> values, CountDownLatch start, AtomicBoolean writing) {
    return () -> {
      start.await();
      int seen = 0;
      while (writing.get()) {
        Optional<byte[]> read = store.getBytes(key);
        if (read.isPresent()) {
          assertIsOneOf(read.get(), values);
          seen++;
        }
      }
      return seen;
    };
  }

  protected void racePutIfAbsent(List<BlobStore> stores) throws Exception {
    int writers = stores.size();
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      for (int round = 0; round < 20; round++) {
        BlobKey key = BlobKey.of("race", "k" + round);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          values.add(filled(100_000 + i * 1_000, (byte) ('A' + i)));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Optional<BlobInfo>>> writes = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          BlobStore writer = stores.get(i);
          byte[] value = values.get(i);
          writes.add(
              pool.submit(
                  () -> {
                    start.await();
                    return writer.putBytesIfAbsent(key, value);
                  }));
        }
        Future<Integer> reader = pool.submit(wholeValueReader(key, values, start, writing));
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        BlobInfo winnerInfo = null;
        for (int i = 0; i < writers; i++) {
          Optional<BlobInfo> written = writes.get(i).get();
          if (written.isPresent()) {
            winners.add(i);
            winnerInfo = written.get();
          }
        }
        writing.set(false);
        reader.get();

        assertThat(winners).as("writers of %s", key).hasSize(1);
        byte[] winner = values.get(winners.get(0));
        assertThat(store.getBytes(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(winner));
        assertThat(winnerInfo.sha256()).isEqualTo(hex(winner));
        assertThat(store.info(key)).contains(winnerInfo);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.listAll("race/")).hasSize(20);
  }

  @Test
  void putReplacesAtomically() throws IOException {
    BlobKey key = new BlobKey("k");
    byte[] first = filled(100_000, (byte) 1);
    byte[] second = filled(50_000, (byte) 2);
    store.putBytes(key, first);

    InputStream openedBefore = store.get(key).orElseThrow();
    BlobInfo replaced = store.putBytes(key, second);

    try (openedBefore) {
      assertThat(openedBefore.readAllBytes()).isEqualTo(first);
    }
    assertThat(store.getBytes(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(second));
    assertThat(replaced.size()).isEqualTo(second.length);
    assertThat(store.info(key)).contains(replaced);
    assertThat(keys(store.list("", null, 10))).containsExactly("k");
  }

  @Test
  void putDoesNotCloseTheCallersStream() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream data =
        new java.io.ByteArrayInputStream(bytes("abc")) {
          @Override
          public void close() {
            closed.set(true);
          }
        };

    store.put(new BlobKey("k"), data);

    assertThat(closed).isFalse();
    assertThat(store.getBytes(new BlobKey("k"))).hasValue(bytes("abc"));
  }

  @Test
  void deleteReturnsWhetherItExisted() throws IOException {
    BlobKey key = new BlobKey("x/y/z");
    BlobKey sibling = new BlobKey("x/y/w");
    store.putBytes(key, bytes("1"));
    store.putBytes(sibling, bytes("2"));

    assertThat(store.delete(key)).isTrue();
    assertThat(store.delete(key)).isFalse();
    assertThat(store.exists(key)).isFalse();
    assertThat(store.get(key)).isEmpty();
    assertThat(keys(store.list("", null, 10))).containsExactly("x/y/w");
    assertThat(store.delete(sibling)).isTrue();
    assertThat(store.list("", null, 10).items()).isEmpty();
  }

  @Test
  void largeBlobStreamsWithoutLoadingInMemory() throws IOException {
    long size = 20L * 1024 * 1024 + 7;
    BlobKey key = new BlobKey("big/blob.bin");
    GeneratedStream source = new GeneratedStream(size, 42);

    BlobInfo info = store.put(key, source);
    byte[] written = source.digest();

    assertThat(info.size()).isEqualTo(size);
    assertThat(info.sha256()).isEqualTo(HexFormat.of().formatHex(written));
    assertThat(store.info(key)).contains(info);
    MessageDigest read = sha256();
    long count = 0;
    try (InputStream in = store.get(key).orElseThrow()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read.update(buffer, 0, n);
        count += n;
      }
    }
    assertThat(count).isEqualTo(size);
    assertThat(read.digest()).isEqualTo(written);
  }

  // ---- concurrency ----

  @Test
  void concurrentPutsOfSameKeyLeaveOneWholeValue() throws Exception {
    BlobKey key = new BlobKey("contended/key");
    int writers = 8;
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      values.add(filled(200_000 + i * 1_000, (byte) ('A' + i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> writes = new ArrayList<>();
      for (byte[] value : values) {
        writes.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int round = 0; round < 5; round++) {
                        store.putBytes(key, value);
                      }
                      return null;
                    }));
      }
      Callable<Integer> reader = wholeValueReader(key, values, start, writing);
      Future<Integer> reader1 = pool.submit(reader);
      Future<Integer> reader2 = pool.submit(reader);
      start.countDown();
      for (Future<?> write : writes) {
        write.get();
      }
      writing.set(false);
      reader1.get();
      reader2.get();
    } finally {
      pool.shutdownNow();
    }

    byte[] last = store.getBytes(key).orElseThrow();
    assertIsOneOf(last, values);
    assertThat(store.info(key).orElseThrow().size()).isEqualTo(last.length);
    assertThat(keys(store.list("", null, 10))).containsExactly("contended/key");
  }

  @Test
  void concurrentPutsAndDeletesInOneDirectoryLoseNothing() throws Exception {
    int threads = 6;
    int perThread = 60;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        work.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      start.await();
                      for (int i = 0; i < perThread; i++) {
                        // Deleting a lone blob empties (and on a file system removes) the shared
                        // directories while other threads put into them.
                        BlobKey temporary = BlobKey.of("d", "e", "tmp-" + thread + "-" + i);
                        store.putBytes(temporary, bytes("t"));
                        assertThat(store.delete(temporary)).isTrue();
                        store.putBytes(
                            BlobKey.of("d", "e", "keep-" + thread + "-" + i), bytes("k"));
                      }
                      return null;
                    }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> listed = store.listAll("").map(i -> i.key().value()).toList();
    assertThat(listed).hasSize(threads * perThread).allMatch(k -> k.startsWith("d/e/keep-"));
  }

  // ---- listing ----

  @Test
  void emptyStoreListsNothing() throws IOException {
    Page<BlobInfo> page = store.list("", null, 10);

    assertThat(page.items()).isEmpty();
    assertThat(page.hasMore()).isFalse();
    assertThat(store.listAll("")).isEmpty();
  }

  @Test
  void listIsOrderedAndPagedByCursor() throws IOException {
    List<String> keys = List.of("b/2", "a/1", "c", "b/1", "a/3/x", "a/2");
    for (String key : keys) {
      store.putBytes(new BlobKey(key), bytes(key));
    }

    Page<BlobInfo> first = store.list("", null, 4);
    Page<BlobInfo> second = store.list("", first.nextCursor(), 4);

    assertThat(keys(first)).containsExactly("a/1", "a/2", "a/3/x", "b/1");
    assertThat(first.hasMore()).isTrue();
    assertThat(keys(second)).containsExactly("b/2", "c");
    assertThat(second.hasMore()).isFalse();
    assertThat(first.items().get(0).size()).isEqualTo(3);
    BlobInfo listed = first.items().get(0);
    BlobInfo info = store.info(new BlobKey("a/1")).orElseThrow();
    assertThat(listed).isIn(info, new BlobInfo(info.key(), info.size(), info.lastModified()));
  }

  @Test
  void listStartsStrictlyAfterAnyCursorString() throws IOException {
    for (String key : List.of("a/1", "a/2", "a/3/x", "b/1")) {
      store.putBytes(new BlobKey(key), bytes(key));
    }

    assertThat(keys(store.list("", "a/2", 10))).containsExactly("a/3/x", "b/1");
    assertThat(keys(store.list("", "a/25", 10))).containsExactly("a/3/x", "b/1");
    assertThat(keys(store.list("", "a/3", 10))).containsExactly("a/3/x", "b/1");
    assertThat(keys(store.list("", "a/3/", 10))).containsExactly("a/3/x", "b/1");
    assertThat(keys(store.list("", "a/3/x", 10))).containsExactly("b/1");
    assertThat(keys(store.list("", "a", 10))).containsExactly("a/1", "a/2", "a/3/x", "b/1");
    assertThat(keys(store.list("", "", 10))).containsExactly("a/1", "a/2", "a/3/x", "b/1");
    assertThat(keys(store.list("", "z", 10))).isEmpty();
    assertThat(keys(store.list("b", "a/2", 10))).containsExactly("b/1");
  }

  @Test
  void listWithPrefixEndingMidSegment() throws IOException {
    for (String key : List.of("a/b", "a/bc/d", "a/c", "ab", "a/b-x", "a/a/b")) {
      store.putBytes(new BlobKey(key), bytes(key));
    }

    assertThat(keys(store.list("a/b", null, 10))).containsExactly("a/b", "a/b-x", "a/bc/d");
    assertThat(keys(store.list("a/", null, 10)))
        .containsExactly("a/a/b", "a/b", "a/b-x", "a/bc/d", "a/c");
    assertThat(keys(store.list("a", null, 10)))
        .containsExactly("a/a/b", "a/b", "a/b-x", "a/bc/d", "a/c", "ab");
    assertThat(keys(store.list("a/bc/", null, 10))).containsExactly("a/bc/d");
    assertThat(keys(store.list("a/bc/d", null, 10))).containsExactly("a/bc/d");
    assertThat(keys(store.list("a/bc/dd", null, 10))).isEmpty();
    assertThat(keys(store.list("nothing", null, 10))).isEmpty();
    assertThat(keys(store.list("a/b", "a/b", 1))).containsExactly("a/b-x");
  }

  @Test
  void listOrderMatchesByteOrderAcrossSeparators() throws IOException {
    // '%' < '+' < ',' < '-' < '.' < '/' < '0' < '=' < '@' < 'A' < '_' < 'a' < '~'
    List<String> keys =
        List.of(
            "a-c", "a/b", "a.b", "ab", "a0", "a~", "a%20", "a+b", "a,b", "a=b", "a@b", "aB", "a_b",
            "a/a/z", "a/b-c/d", "a/b.c", "a/b0", "A", "Z/x", "_", "~", "0/0", "a.b.c/d");
    for (String key : keys) {
      store.putBytes(new BlobKey(key), bytes(key));
    }
    List<String> expected = new ArrayList<>(new TreeSet<>(keys)); // String order

    assertThat(keys(store.list("", null, 100))).containsExactlyElementsOf(expected);
    assertThat(pageThrough("", 1)).containsExactlyElementsOf(expected);
    assertThat(pageThrough("a", 3))
        .containsExactlyElementsOf(expected.stream().filter(k -> k.startsWith("a")).toList());
    assertThat(keys(store.list("a/b", null, 100)))
        .containsExactly("a/b", "a/b-c/d", "a/b.c", "a/b0");
  }

  @Test
  void pagingVisitsEveryKeyExactlyOnce() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // Mixed depths and names that share prefixes across the separator.
      String key =
          switch (i % 4) {
            case 0 -> "n/" + (i % 10) + "/" + i;
            case 1 -> "n/" + (i % 10) + "-" + i;
            case 2 -> "n/" + (i % 7) + "/deep/er/" + i;
            default -> "n" + i;
          };
      keys.add(key);
    }
    putEach(keys, key -> bytes(key));

    List<String> paged = pageThrough("", 7);

    assertThat(paged).hasSize(keys.size()).doesNotHaveDuplicates();
    assertThat(paged).containsExactlyElementsOf(new TreeSet<>(keys));
    assertThat(store.listAll("").map(i -> i.key().value()).toList()).isEqualTo(paged);
    assertThat(pageThrough("n/3", 7))
        .containsExactlyElementsOf(paged.stream().filter(k -> k.startsWith("n/3")).toList());
  }

  @Test
  void keysAddedBehindTheCursorAreNotRevisited() throws IOException {
    for (String key : List.of("k/2", "k/4", "k/6")) {
      store.putBytes(new BlobKey(key), bytes(key));
    }

    Page<BlobInfo> first = store.list("k/", null, 2);
    store.putBytes(new BlobKey("k/1"), bytes("behind"));
    store.putBytes(new BlobKey("k/5"), bytes("ahead"));
    Page<BlobInfo> second = store.list("k/", first.nextCursor(), 2);

    assertThat(keys(first)).containsExactly("k/2", "k/4");
    assertThat(keys(second)).containsExactly("k/5", "k/6");
  }

  @Test
  void listAllStreamsEveryMatchingBlobInOrder() throws IOException {
    Set<String> keys = new TreeSet<>();
    // More than the 1,000 keys listAll fetches per page.
    for (int i = 0; i < 1_100; i++) {
      keys.add("s/" + String.format("%05d", i));
    }
    putEach(keys, key -> bytes(""));
    store.putBytes(new BlobKey("t"), bytes(""));

    assertThat(store.listAll("s/").map(i -> i.key().value())).containsExactlyElementsOf(keys);
    assertThat(store.listAll("s/").limit(3).map(i -> i.key().value()))
        .containsExactly("s/00000", "s/00001", "s/00002");
  }

  @Test
  void limitOutOfRangeIsRefused() throws IOException {
    store.putBytes(new BlobKey("a"), bytes("1"));

    for (int bad : new int[] {0, -1, BlobStore.MAX_PAGE_SIZE + 1, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> store.list("", null, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(String.valueOf(bad))
          .hasMessageContaining("10000");
    }
    assertThat(keys(store.list("", null, 1))).containsExactly("a");
    assertThat(keys(store.list("", null, BlobStore.MAX_PAGE_SIZE))).containsExactly("a");
  }

  @Test
  void invalidPrefixOrCursorIsRefused() {
    for (String bad : List.of("a\0", "a\\b", "x".repeat(1025))) {
      assertThatThrownBy(() -> store.list(bad, null, 10))
          .as(BlobKey.encodeSegment(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix");
      assertThatThrownBy(() -> store.list("", bad, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cursor");
      assertThatThrownBy(() -> store.listAll(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list(null, null, 10)).isInstanceOf(NullPointerException.class);
  }

  // ---- keys ----

  @Test
  void invalidKeysAreRefusedWithClearMessage() {
    List<String> bad =
        List.of(
            "",
            "/",
            "a/",
            "/a",
            "a//b",
            ".",
            "..",
            "a/../b",
            "a/./b",
            "a/..",
            "a\0b",
            "a\\b",
            "a b",
            "x".repeat(1025),
            "s/" + "y".repeat(256),
            "caf\u00e9",
            "\u65e5\u672c",
            "a:b",
            "a*b",
            "a?b",
            "a#b",
            "a\nb");
    for (String key : bad) {
      assertThatThrownBy(() -> new BlobKey(key))
          .as("key %s", BlobKey.encodeSegment(key.isEmpty() ? "(empty)" : key))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[A-Za-z0-9._%+=@,~-]")
          .hasMessageContaining(
              "Invalid blob key \"" + printable(key.substring(0, Math.min(20, key.length()))));
    }
    assertThatThrownBy(() -> new BlobKey("x".repeat(5000)))
        .hasMessageContaining("5000 characters")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000));
    assertThatThrownBy(() -> new BlobKey("a/../b")).hasMessageContaining("\"..\"");
    assertThatThrownBy(() -> new BlobKey("a\0b")).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> new BlobKey(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void validKeysAreAcceptedAndNavigable() {
    for (String good :
        List.of(
            "a",
            "a/b/c",
            "A-Z_0.9%20+=@,~",
            "..a",
            "a..",
            ".hidden",
            "x".repeat(255),
            String.join("/", java.util.Collections.nCopies(5, "y".repeat(204))))) {
      assertThatCode(() -> new BlobKey(good)).as(good).doesNotThrowAnyException();
    }
    BlobKey key = BlobKey.of("p", "q/r", "s.txt");

    assertThat(key.value()).isEqualTo("p/q/r/s.txt");
    assertThat(key.name()).isEqualTo("s.txt");
    assertThat(key.parent()).contains(new BlobKey("p/q/r"));
    assertThat(new BlobKey("top").parent()).isEmpty();
    assertThat(new BlobKey("top").name()).isEqualTo("top");
    assertThat(new BlobKey("p").resolve("q").resolve("r/s.txt")).isEqualTo(key);
    assertThat(key.toString()).isEqualTo("p/q/r/s.txt");
    assertThatThrownBy(() -> key.resolve("..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> key.resolve("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlobKey.of("a", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodeSegmentMakesAnyStringSafe() throws IOException {
    String huge = "z".repeat(10_000);
    List<String> texts =
        List.of(
            "plain",
            "..",
            ".",
            ".hidden",
            "/",
            "a/b",
            "\0",
            "a\\b",
            "%",
            "%25",
            "+",
            " ",
            "a b",
            "caf\u00e9",
            "cafe\u0301",
            "\u65e5\u672c\u8a9e",
            "\ud83d\ude00",
            "\ud800",
            "?",
            "\ud800x",
            huge,
            huge + "!",
            "\u00e9".repeat(3_000),
            "~",
            "a~b",
            "-",
            "CON",
            "x".repeat(200),
            "x".repeat(201),
            "x".repeat(255));
    Set<String> encoded = new HashSet<>();
    for (String text : texts) {
      String segment = BlobKey.encodeSegment(text);
      BlobKey key = new BlobKey(segment);

      assertThat(key.name()).as(segment).isEqualTo(segment).doesNotContain("/");
      assertThat(segment.length()).as(segment).isLessThanOrEqualTo(200);
      assertThat(segment).doesNotStartWith(".");
      assertThat(BlobKey.encodeSegment(text)).as("deterministic").isEqualTo(segment);
      assertThat(encoded.add(segment)).as("distinct: %s", segment).isTrue();
      store.putBytes(BlobKey.of("enc", segment), text.getBytes(UTF_8));
    }
    assertThat(BlobKey.encodeSegment("plain-Name_1.txt")).isEqualTo("plain-Name_1.txt");
    assertThat(BlobKey.encodeSegment("a b/%")).isEqualTo("a%20b%2F%25");
    assertThat(BlobKey.encodeSegment("..")).isEqualTo("%2E.");
    assertThat(BlobKey.encodeSegment("caf\u00e9")).isEqualTo("caf%C3%A9");
    assertThat(BlobKey.encodeSegment(huge)).matches("z{100}~[0-9a-f]{32}");
    assertThat(store.listAll("enc/")).hasSize(texts.size());
    assertThatThrownBy(() -> BlobKey.encodeSegment(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----

  /** How many threads {@link #putEach} writes from; 1 puts one key after the other. */
  protected int bulkPutThreads() {
    return 4;
  }

  /**
   * Stores every key with its value for the listing tests, which need a thousand keys and test
   * listing, not putting (every put path has its own tests). The default puts from {@link
   * #bulkPutThreads()} threads; a remote backend whose round trips dominate may seed its storage
   * directly. Either way the same blobs are there, and this checks that the store lists them all.
   */
  protected void putEach(
      java.util.Collection<String> keys, java.util.function.Function<String, byte[]> value)
      throws IOException {
    bulkPut(keys, value);
    Set<String> wanted = new HashSet<>(keys);
    assertThat(store.listAll("").filter(i -> wanted.contains(i.key().value())).count())
        .as("every bulk-put key is stored")
        .isEqualTo(wanted.size());
  }

  /** Writes the blobs of {@link #putEach}; override to seed a remote store's storage directly. */
  protected void bulkPut(
      java.util.Collection<String> keys, java.util.function.Function<String, byte[]> value)
      throws IOException {
    List<String> all = List.copyOf(keys);
    int threads = Math.max(1, Math.min(bulkPutThreads(), all.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        puts.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = first; i < all.size(); i += threads) {
                        String key = all.get(i);
                        store.putBytes(new BlobKey(key), value.apply(key));
                      }
                      return null;
                    }));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while putting " + all.size() + " blobs", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every key under {@code prefix}, following cursors page by page. */
  protected List<String> pageThrough(String prefix, int pageSize) throws IOException {
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<BlobInfo> page = store.list(prefix, cursor, pageSize);
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      if (page.hasMore()) {
        assertThat(page.items()).isNotEmpty();
      }
      all.addAll(keys(page));
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  protected static List<String> keys(Page<BlobInfo> page) {
    return page.items().stream().map(i -> i.key().value()).collect(Collectors.toList());
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected static byte[] filled(int size, byte value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, value);
    return bytes;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static void assertIsOneOf(byte[] actual, List<byte[]> candidates) {
    assertThat(candidates.stream().anyMatch(c -> Arrays.equals(c, actual)))
        .as(
            "read %d bytes starting with %s, which is none of the written values whole",
            actual.length, actual.length == 0 ? "nothing" : String.valueOf((char) actual[0]))
        .isTrue();
  }

  private static String printable(String key) {
    StringBuilder out = new StringBuilder();
    key.chars()
        .forEach(
            c -> {
              if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append((char) c);
              } else if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
              } else {
                out.append(String.format("\\u%04X", c));
              }
            });
    return out.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
