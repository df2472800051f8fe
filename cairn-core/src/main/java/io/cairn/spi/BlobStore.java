package io.cairn.spi;

import io.cairn.Page;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Where blobs live: named byte streams such as pipeline outputs, catalog objects and result files.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread-safety.</b> Every method may be called from many threads at once. A store shared
 *       between processes (a directory on a local file system, an S3 bucket) keeps this contract
 *       across them.
 *   <li><b>Atomic puts.</b> A {@link #put} is atomic: a reader sees the old blob, no blob, or the
 *       whole new one, never a partial one, also after a crash of the writer or of the machine.
 *       When a put returns, its blob is durable. Of concurrent puts to one key, one wins whole.
 *   <li><b>Create-only puts.</b> Of concurrent {@link #putIfAbsent} calls for one absent key,
 *       across threads, processes and store instances sharing the storage, exactly one writes; the
 *       others see the key present and write nothing.
 *   <li><b>Content hashes.</b> Every put computes the content's SHA-256 while it streams the data
 *       (the data is read once, and a persistent backend never holds it whole in memory), and
 *       {@link #info} returns it ({@link BlobInfo#sha256()}), right for the blob's current bytes,
 *       also after a crash.
 *   <li><b>Keys are a flat name space.</b> A key that is a prefix of other keys up to a {@code '/'}
 *       ({@code "a"} for {@code "a/b"}) is not a blob unless it was put itself, and a key below a
 *       blob ({@code "a/b"} while {@code "a"} is a blob) is absent unless put itself. Whether one
 *       key may be both a blob and the parent of blobs is <b>up to the backend</b>: S3 and the
 *       in-memory store allow it; the file-system store cannot (a path is a file or a directory)
 *       and refuses such a put with {@link IllegalArgumentException} naming both keys. Portable
 *       callers rely on neither.
 *   <li><b>Listings</b> are in ascending key order (String order, which for the ASCII keys is byte
 *       order, as in S3), paged by cursor, and cost a page's worth of work rather than the whole
 *       store's. A listing running beside writers sees each key at most once; keys added or removed
 *       behind the cursor are not revisited.
 * </ul>
 *
 * <p>Misuse (null arguments, bad limits or prefixes) throws the usual unchecked JDK exceptions;
 * {@link IOException} means the storage itself failed.
 */
public interface BlobStore extends AutoCloseable {

  /** The largest page a {@link #list} call may ask for. */
  int MAX_PAGE_SIZE = 10_000;

  /**
   * Stores {@code data}, read to its end, as the blob {@code key}, replacing any blob of that key
   * atomically. The stream is not closed.
   *
   * @return the stored blob's size, modification time and SHA-256
   * @throws IllegalArgumentException on a backend that keeps keys from being both a blob and a
   *     parent of blobs (the file system), if {@code key} would be both; the message names both
   *     keys
   * @throws IOException if reading {@code data} or writing fails; the key then keeps its previous
   *     blob, or stays absent
   */
  BlobInfo put(BlobKey key, InputStream data) throws IOException;

  /**
   * Stores {@code data}, read to its end, as the blob {@code key} only if there is no blob of that
   * key: a create-only {@link #put}, atomic and durable in the same way. Of concurrent calls for
   * one absent key (from any threads, processes or store instances sharing the storage) exactly one
   * writes and the others return empty. When the key is already present the stream may be read
   * partly, wholly or not at all. The stream is not closed.
   *
   * @return the stored blob's size, modification time and SHA-256 if this call wrote it; empty if
   *     the key already held a blob
   * @throws IllegalArgumentException as {@link #put}
   * @throws IOException if reading {@code data} or writing fails; the key then stays as it was
   */
  Optional<BlobInfo> putIfAbsent(BlobKey key, InputStream data) throws IOException;

  /**
   * Opens the blob for reading. The caller closes the stream. A stream reads the blob as it was
   * when opened, whole, even if it is replaced meanwhile (where the backend allows; local file
   * systems on POSIX and the in-memory store do).
   *
   * @return the content, or empty if there is no such blob
   * @throws IOException if the storage fails
   */
  Optional<InputStream> get(BlobKey key) throws IOException;

  /**
   * @return the blob's size, modification time and SHA-256, or empty if there is no such blob
   * @throws IOException if the storage fails
   */
  Optional<BlobInfo> info(BlobKey key) throws IOException;

  /**
   * @return whether the blob exists
   * @throws IOException if the storage fails
   */
  boolean exists(BlobKey key) throws IOException;

  /**
   * Deletes the blob if it exists.
   *
   * @return whether it existed
   * @throws IOException if the storage fails
   */
  boolean delete(BlobKey key) throws IOException;

  /**
   * One page of the blobs whose keys start with {@code prefix}, in ascending key order.
   *
   * @param prefix a plain string prefix: {@code ""} for all blobs, and it may end in the middle of
   *     a segment ({@code "a/b"} matches {@code "a/b"}, {@code "a/bc/d"} and {@code "a/b/c"})
   * @param cursor only keys strictly after this string are listed; {@code null} starts from the
   *     beginning. Pass the previous page's {@link Page#nextCursor()}.
   * @param limit the most items to return, 1 to {@value #MAX_PAGE_SIZE}
   * @return the page; its {@code nextCursor} is present if and only if more blobs may follow. An
   *     item's {@link BlobInfo#sha256()} is either right or {@code null} (backends whose listings
   *     do not carry hashes, such as S3 and the file system); call {@link #info} for the hash
   * @throws IllegalArgumentException if {@code limit} is out of range, or {@code prefix} or {@code
   *     cursor} contains NUL or {@code '\'} or is longer than {@value BlobKey#MAX_LENGTH}
   * @throws NullPointerException if {@code prefix} is null
   * @throws IOException if the storage fails
   */
  Page<BlobInfo> list(String prefix, String cursor, int limit) throws IOException;

  /**
   * A URL that downloads the blob with a plain HTTP GET, without credentials, for {@code validFor}
   * (S3's presigned URL), so a server can redirect a download instead of streaming it through
   * itself. Empty (the default) when the store has no such URL: the caller streams {@link #get}.
   * Signing may be local, so the blob need not exist; check {@link #exists} first.
   *
   * @param validFor how long the URL works, 1 second to 7 days
   */
  default Optional<java.net.URI> downloadUrl(BlobKey key, java.time.Duration validFor) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(validFor, "validFor");
    return Optional.empty();
  }

  /** Closes the store. Idempotent. The default does nothing. */
  @Override
  default void close() {}

  /**
   * Stores {@code bytes} as the blob {@code key}; see {@link #put}.
   *
   * @throws IllegalArgumentException as {@link #put}
   * @throws IOException as {@link #put}
   */
  default BlobInfo putBytes(BlobKey key, byte[] bytes) throws IOException {
    return put(key, new ByteArrayInputStream(Objects.requireNonNull(bytes, "bytes")));
  }

  /**
   * Stores {@code bytes} as the blob {@code key} if there is none; see {@link #putIfAbsent}.
   *
   * @throws IllegalArgumentException as {@link #put}
   * @throws IOException as {@link #putIfAbsent}
   */
  default Optional<BlobInfo> putBytesIfAbsent(BlobKey key, byte[] bytes) throws IOException {
    return putIfAbsent(key, new ByteArrayInputStream(Objects.requireNonNull(bytes, "bytes")));
  }

  /**
   * Reads a whole blob into memory; for small blobs.
   *
   * @return the content, or empty if there is no such blob
   * @throws IOException as {@link #get}
   */
  default Optional<byte[]> getBytes(BlobKey key) throws IOException {
    Optional<InputStream> in = get(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream stream = in.get()) {
      return Optional.of(stream.readAllBytes());
    }
  }

  /**
   * All blobs whose keys start with {@code prefix}, in ascending key order, fetched lazily page by
   * page as the stream is consumed. Storage failures while consuming surface as {@link
   * UncheckedIOException}.
   *
   * @throws IllegalArgumentException if {@code prefix} is invalid, as for {@link #list}
   */
  default Stream<BlobInfo> listAll(String prefix) {
    checkListArguments(prefix, null, MAX_PAGE_SIZE);
    Spliterator<BlobInfo> pages =
        new Spliterators.AbstractSpliterator<BlobInfo>(
            Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL) {
          private final Deque<BlobInfo> buffer = new ArrayDeque<>();
          private String cursor;
          private boolean exhausted;

          @Override
          public boolean tryAdvance(Consumer<? super BlobInfo> action) {
            while (buffer.isEmpty() && !exhausted) {
              Page<BlobInfo> page;
              try {
                page = list(prefix, cursor, 1000);
              } catch (IOException e) {
                throw new UncheckedIOException("Listing blobs under " + prefix + " failed", e);
              }
              buffer.addAll(page.items());
              cursor = page.nextCursor();
              exhausted = cursor == null;
            }
            if (buffer.isEmpty()) {
              return false;
            }
            action.accept(buffer.removeFirst());
            return true;
          }
        };
    return StreamSupport.stream(pages, false);
  }

  /**
   * Checks the arguments of {@link #list} as every backend must; for implementations.
   *
   * @throws IllegalArgumentException if {@code limit} is outside 1..{@value #MAX_PAGE_SIZE}, or
   *     {@code prefix} or {@code cursor} contains NUL or {@code '\'} or is longer than {@value
   *     BlobKey#MAX_LENGTH}
   * @throws NullPointerException if {@code prefix} is null
   */
  static void checkListArguments(String prefix, String cursor, int limit) {
    Objects.requireNonNull(prefix, "prefix (use \"\" to list everything)");
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "list limit must be between 1 and " + MAX_PAGE_SIZE + ", was " + limit);
    }
    checkListString("prefix", prefix);
    if (cursor != null) {
      checkListString("cursor", cursor);
    }
  }

  private static void checkListString(String what, String value) {
    if (value.length() > BlobKey.MAX_LENGTH
        || value.indexOf('\0') >= 0
        || value.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(
          "invalid list "
              + what
              + " "
              + BlobKey.quote(value)
              + ": it must be at most "
              + BlobKey.MAX_LENGTH
              + " characters without NUL or '\\'");
    }
  }
}
