package io.cairn.internal.blob;

import io.cairn.Page;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BlobStore} in a directory of the local file system: the blob {@code a/b/c} is the file
 * {@code <root>/a/b/c}, so blobs can be read with ordinary tools.
 *
 * <h2>Durability protocol</h2>
 *
 * <p>A put writes the stream to a new, uniquely named file in {@code <root>/}{@value
 * #TEMP_DIR_NAME}, forces it to disk, then renames it onto the blob's path with one atomic rename
 * (creating the parent directories first) and forces the directory. A rename is atomic on POSIX
 * file systems, so readers and a crash at any point see the old file, no file, or the new one
 * whole; a crash before the rename leaves only an unnamed temp file, which listings never show and
 * which is deleted on a later open once it is an hour old (a live writer keeps its file's
 * modification time fresh). The temp directory's name contains {@code '#'}, which no key segment
 * may, so no blob can collide with it. A delete removes the file and then the parent directories it
 * left empty; a concurrent put that loses its parent directory to that cleanup recreates it and
 * retries.
 *
 * <h2>Create-only puts</h2>
 *
 * <p>{@link #putIfAbsent} writes and forces the temp file the same way, then publishes it with
 * {@link Files#createLink}: {@code link(2)} creates the blob's name atomically and fails if the
 * name exists, across threads and processes alike, so of racing calls exactly one links and the
 * others find the key present and delete their temp file. ({@link Files#move} cannot do this: an
 * atomic move replaces an existing target on POSIX, and a non-atomic one checks and then moves.)
 * The temp name is then removed; a crash in between leaves a second, invisible name that the hourly
 * temp cleanup removes. It needs a file system with hard links (every POSIX local file system,
 * NTFS); elsewhere it fails with an {@link IOException} that says so.
 *
 * <h2>Content hashes</h2>
 *
 * <p>A put hashes the data as it streams it into the temp file and returns the SHA-256 in its
 * {@link BlobInfo}. The first {@link #info} of a blob hashes the file (reading it whole) and
 * records the result in a small hidden file beside the blob ({@code .name#sha256}), which later
 * calls read instead of rehashing; a put does not write the record, so a put costs what an atomic
 * file write costs (a record's create and rename are directory changes every later fsync waits for:
 * writing it on every put made a chain of parameterized jobs 1.3–2× slower). The record names the
 * exact file it describes (size, modification time, device and inode), so a crash between the blob
 * and its record, or racing puts, can never yield the hash of other bytes: a record that is missing
 * or describes another file, as for blobs written before hashes were recorded or copied in by other
 * tools, makes {@code info} hash the file once (reading it whole) and record it. Listings do not
 * read records: their items' {@code sha256} is null. See {@link HashSidecars}.
 *
 * <h2>Listing</h2>
 *
 * <p>Listings walk the tree depth-first, each directory's entries sorted with a directory sorting
 * as {@code name + "/"}. That order is exactly the full keys' String order, so the walk can skip
 * every subtree that lies wholly before the cursor or outside the prefix and stop after {@code
 * limit + 1} blobs: a page reads the directories along its way, not the whole tree. Entries whose
 * names are not valid key segments (the temp directory, foreign files) are ignored.
 *
 * <h2>Limitations</h2>
 *
 * <ul>
 *   <li>A key cannot be a blob and a parent of blobs at once, because a path cannot be a file and a
 *       directory (the {@link BlobStore} contract leaves this to each backend; S3 and the in-memory
 *       store allow it): putting {@code "a/b"} while {@code "a"} is a blob, or {@code "a"} while
 *       {@code "a/b"} is one, throws {@link IllegalArgumentException} naming both keys, with {@code
 *       put} and {@code putIfAbsent} alike. Keys below a blob read as absent.
 *   <li>On a case-insensitive file system (default macOS and Windows) keys that differ only in case
 *       are the same blob; on Windows, reserved names ({@code CON}, {@code NUL}, names ending in
 *       {@code '.'}) cannot be stored, and replacing a blob fails while a reader holds it open.
 *   <li>A reader's open stream keeps reading the blob it opened, even across a replacement or
 *       delete (POSIX semantics).
 * </ul>
 *
 * <p>Thread-safe, and safe for many processes sharing one root; there are no locks, only atomic
 * renames.
 */
public final class FileSystemBlobStore implements BlobStore {

  /** The directory under the root where puts write before publishing. */
  public static final String TEMP_DIR_NAME = ".tmp#";

  private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
  private static final int PUBLISH_ATTEMPTS = 10;
  private static final Comparator<Entry> BY_SORT_KEY = Comparator.comparing(Entry::sortKey);

  private final Path root;
  private final Path tempDir;
  private final HashSidecars hashes;
  private final boolean readOnly;

  /**
   * Opens (creating if needed) the store at {@code root}, and deletes temp files left by puts that
   * crashed over an hour ago.
   *
   * @throws UncheckedIOException if the root or its temp directory cannot be created
   */
  public FileSystemBlobStore(Path root) {
    this(root, false);
  }

  /**
   * A store that only reads the blobs under {@code root}, which need not exist: it creates no
   * directory, cleans no temp file and records no hash (a missing record is computed each time), so
   * reading a home leaves its files as they were. Puts and deletes throw {@link
   * IllegalStateException}.
   */
  public static FileSystemBlobStore openReadOnly(Path root) {
    return new FileSystemBlobStore(root, true);
  }

  private FileSystemBlobStore(Path root, boolean readOnly) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.tempDir = this.root.resolve(TEMP_DIR_NAME);
    this.hashes = new HashSidecars(tempDir);
    this.readOnly = readOnly;
    if (readOnly) {
      return;
    }
    try {
      Files.createDirectories(tempDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create blob store directory " + tempDir, e);
    }
    deleteStaleTempFiles();
  }

  /** The directory holding the blobs. */
  public Path root() {
    return root;
  }

  @Override
  public BlobInfo put(BlobKey key, InputStream data) throws IOException {
    checkPut(key, data);
    Path temp = newTempPath();
    boolean published = false;
    try {
      Written written = writeTemp(temp, data);
      publish(key, temp);
      published = true;
      return written.record(key);
    } finally {
      if (!published) {
        deleteQuietly(temp);
      }
    }
  }

  @Override
  public Optional<BlobInfo> putIfAbsent(BlobKey key, InputStream data) throws IOException {
    checkPut(key, data);
    if (blobAttributes(key) != null) {
      return Optional.empty(); // present: do not even read the stream
    }
    Path temp = newTempPath();
    try {
      Written written = writeTemp(temp, data);
      return link(key, temp) ? Optional.of(written.record(key)) : Optional.empty();
    } finally {
      deleteQuietly(temp); // after a link, only the temp name goes; the blob keeps its own
    }
  }

  // Fails before consuming the stream when the file-system conflict is already visible.
  private void checkPut(BlobKey key, InputStream data) throws IOException {
    checkWritable();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    Optional<BlobKey> parentBlob = findParentBlob(key);
    if (parentBlob.isPresent()) {
      throw parentIsBlob(key, parentBlob.get());
    }
    checkNotParentOfBlobs(key);
  }

  private Path newTempPath() {
    return tempDir.resolve("put-" + UUID.randomUUID() + ".part");
  }

  /** A temp file written in full: its hash and identity, ready to be published. */
  private final class Written {
    final String sha256;
    final HashSidecars.Identity identity;
    final long lastModified;

    Written(String sha256, BasicFileAttributes attributes) {
      this.sha256 = sha256;
      this.identity = HashSidecars.Identity.of(attributes);
      this.lastModified = attributes.lastModifiedTime().toMillis();
    }

    /**
     * The info of the blob just published from this file. Its hash is not recorded here: a put must
     * cost what an atomic file write costs (a record's create and rename are directory changes that
     * every later fsync has to wait for), so {@link #info} records it the first time it is asked.
     */
    BlobInfo record(BlobKey key) {
      return new BlobInfo(key, identity.size(), lastModified, sha256);
    }
  }

  // Streams data into temp once, hashing it on the way, and forces it to disk.
  private Written writeTemp(Path temp, InputStream data) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (FileChannel channel = openNewTempFile(temp)) {
      data.transferTo(new DigestOutputStream(Channels.newOutputStream(channel), digest));
      channel.force(true);
    }
    return new Written(Sha256.hex(digest), Files.readAttributes(temp, BasicFileAttributes.class));
  }

  private void checkWritable() {
    if (readOnly) {
      throw new IllegalStateException(
          "blob store " + root + " was opened read-only: open the home with Cairn.open to write");
    }
  }

  @Override
  public Optional<InputStream> get(BlobKey key) throws IOException {
    if (blobAttributes(key) == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.newInputStream(pathOf(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<BlobInfo> info(BlobKey key) throws IOException {
    Path path = pathOf(key);
    for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
      BasicFileAttributes attributes = blobAttributes(key);
      if (attributes == null) {
        return Optional.empty();
      }
      HashSidecars.Identity identity = HashSidecars.Identity.of(attributes);
      String sha256 = hashes.read(path, identity);
      if (sha256 == null) {
        // No trustworthy record: hash the file, and trust the result only if the file was not
        // replaced while it was read.
        try (InputStream in = Files.newInputStream(path)) {
          sha256 = Sha256.of(in);
        } catch (NoSuchFileException e) {
          continue;
        }
        BasicFileAttributes after = blobAttributes(key);
        if (after == null || !HashSidecars.Identity.of(after).equals(identity)) {
          continue;
        }
        if (!readOnly) {
          hashes.write(path, identity, sha256);
        }
      }
      return Optional.of(
          new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toMillis(), sha256));
    }
    throw new IOException(
        "blob '"
            + key
            + "' was replaced "
            + PUBLISH_ATTEMPTS
            + " times while its sha256 was computed; retry when its writers are done");
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    return blobAttributes(key) != null;
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    checkWritable();
    if (blobAttributes(key) == null) {
      return false;
    }
    Path path = pathOf(key);
    boolean deleted;
    try {
      deleted = Files.deleteIfExists(path);
    } catch (FileSystemException e) {
      // Replaced by a non-empty directory in between: it is not a blob any more.
      return false;
    }
    if (deleted) {
      hashes.delete(path);
      deleteEmptyDirectories(path.getParent());
    }
    return deleted;
  }

  @Override
  public Page<BlobInfo> list(String prefix, String cursor, int limit) throws IOException {
    BlobStore.checkListArguments(prefix, cursor, limit);
    Walk walk = new Walk(prefix, cursor, limit + 1);
    walk.visit(root, "");
    List<BlobInfo> found = walk.found;
    if (found.size() <= limit) {
      return new Page<>(found, null);
    }
    List<BlobInfo> page = found.subList(0, limit);
    return new Page<>(page, page.get(limit - 1).key().value());
  }

  /** The depth-first, sorted walk of one {@link #list} call. */
  private final class Walk {
    private final String prefix;
    private final String cursor;
    private final int want;
    final List<BlobInfo> found = new ArrayList<>();

    Walk(String prefix, String cursor, int want) {
      this.prefix = prefix;
      this.cursor = cursor;
      this.want = want;
    }

    /** Visits {@code dir}, whose keys start with {@code keyPrefix}; true once enough is found. */
    boolean visit(Path dir, String keyPrefix) throws IOException {
      List<Entry> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          String name = child.getFileName().toString();
          if (!isSegment(name)) {
            continue;
          }
          String asFile = keyPrefix + name;
          String asDir = asFile + "/";
          boolean wantFile = fileInRange(asFile);
          boolean wantDir = dirMayBeInRange(asDir);
          if (!wantFile && !wantDir) {
            continue; // decided by name alone, without a stat
          }
          BasicFileAttributes attributes;
          try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class);
          } catch (NoSuchFileException e) {
            continue; // deleted meanwhile
          }
          if (attributes.isDirectory() && wantDir) {
            entries.add(new Entry(asDir, child, null));
          } else if (attributes.isRegularFile() && wantFile) {
            entries.add(new Entry(asFile, child, attributes));
          }
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        return false; // removed or replaced meanwhile: nothing here any more
      }
      entries.sort(BY_SORT_KEY);
      for (Entry entry : entries) {
        if (entry.attributes() == null) {
          if (visit(entry.path(), entry.sortKey())) {
            return true;
          }
        } else {
          found.add(info(new BlobKey(entry.sortKey()), entry.attributes()));
          if (found.size() >= want) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean fileInRange(String key) {
      return key.length() <= BlobKey.MAX_LENGTH
          && key.startsWith(prefix)
          && (cursor == null || key.compareTo(cursor) > 0);
    }

    /** Whether some key starting with {@code dirKey} (which ends in '/') may be in range. */
    private boolean dirMayBeInRange(String dirKey) {
      return dirKey.length() < BlobKey.MAX_LENGTH
          && (dirKey.startsWith(prefix) || prefix.startsWith(dirKey))
          // Every key under dirKey is >= dirKey; if dirKey <= cursor and is not a prefix of it,
          // they all differ from the cursor at a smaller character, so all are before it.
          && (cursor == null || dirKey.compareTo(cursor) > 0 || cursor.startsWith(dirKey));
    }
  }

  /** A directory entry in the walk: attributes are null for a directory. */
  private record Entry(String sortKey, Path path, BasicFileAttributes attributes) {}

  private Path pathOf(BlobKey key) {
    return root.resolve(key.value());
  }

  /** The attributes of the blob's file, or null if there is no blob (missing, or a directory). */
  private BasicFileAttributes blobAttributes(BlobKey key) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(pathOf(key), BasicFileAttributes.class);
      return attributes.isRegularFile() ? attributes : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      // "Not a directory": a parent of the key is a blob, so the key itself is absent.
      if (findParentBlob(key).isPresent()) {
        return null;
      }
      throw e;
    }
  }

  /** The nearest-to-root parent of {@code key} that is a blob (a regular file), if any. */
  private Optional<BlobKey> findParentBlob(BlobKey key) throws IOException {
    List<BlobKey> parents = new ArrayList<>();
    for (Optional<BlobKey> p = key.parent(); p.isPresent(); p = p.get().parent()) {
      parents.add(p.get());
    }
    for (int i = parents.size() - 1; i >= 0; i--) {
      BlobKey parent = parents.get(i);
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(pathOf(parent), BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
      if (attributes.isRegularFile()) {
        return Optional.of(parent);
      }
    }
    return Optional.empty();
  }

  private void checkNotParentOfBlobs(BlobKey key) throws IOException {
    if (Files.isDirectory(pathOf(key))) {
      Page<BlobInfo> child = list(key.value() + "/", null, 1);
      if (!child.items().isEmpty()) {
        throw isParentOfBlobs(key, child.items().get(0).key());
      }
    }
  }

  private FileChannel openNewTempFile(Path temp) throws IOException {
    try {
      return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      Files.createDirectories(tempDir); // someone removed it; recreate once
      return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  /** Renames {@code temp} onto the blob's path, diagnosing and retrying races. */
  private void publish(BlobKey key, Path temp) throws IOException {
    Path target = pathOf(key);
    Path parent = target.getParent();
    for (int attempt = 1; ; attempt++) {
      try {
        boolean parentExisted = Files.isDirectory(parent);
        Files.createDirectories(parent);
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectories(parent, parentExisted);
        return;
      } catch (FileSystemException e) {
        Optional<BlobKey> parentBlob = findParentBlob(key);
        if (parentBlob.isPresent()) {
          throw parentIsBlob(key, parentBlob.get());
        }
        if (Files.isDirectory(target)) {
          checkNotParentOfBlobs(key);
          deleteQuietly(target); // an empty leftover directory; retry after removing it
        }
        // Otherwise a concurrent delete removed our parent directory after we created it.
        if (attempt == PUBLISH_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Publishes {@code temp} under the blob's path by a hard link that fails if the path exists;
   * false if a blob was there.
   */
  private boolean link(BlobKey key, Path temp) throws IOException {
    Path target = pathOf(key);
    Path parent = target.getParent();
    for (int attempt = 1; ; attempt++) {
      try {
        boolean parentExisted = Files.isDirectory(parent);
        Files.createDirectories(parent);
        Files.createLink(target, temp);
        syncDirectories(parent, parentExisted);
        return true;
      } catch (UnsupportedOperationException e) {
        throw new IOException(
            "cannot put blob '"
                + key
                + "' if absent: the file system under "
                + root
                + " has no hard links; use put, or a file system that has them",
            e);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          return false; // a blob is there: another writer won
        }
        checkNotParentOfBlobs(key);
        deleteQuietly(target); // an empty leftover directory; retry after removing it
        if (attempt == PUBLISH_ATTEMPTS) {
          throw e;
        }
      } catch (FileSystemException e) {
        Optional<BlobKey> parentBlob = findParentBlob(key);
        if (parentBlob.isPresent()) {
          throw parentIsBlob(key, parentBlob.get());
        }
        // Otherwise a concurrent delete removed our parent directory after we created it.
        if (attempt == PUBLISH_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  // Forces the directory entries the put created, so that the rename survives a power loss; on
  // platforms that cannot open a directory (Windows) the rename is as durable as the OS makes it.
  private void syncDirectories(Path parent, boolean parentExisted) {
    Path dir = parent;
    while (dir != null && dir.startsWith(root)) {
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        return;
      }
      if (parentExisted || dir.equals(root)) {
        return;
      }
      dir = dir.getParent();
    }
  }

  private void deleteEmptyDirectories(Path dir) {
    while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
      try {
        Files.delete(dir);
      } catch (NoSuchFileException e) {
        // Another delete got here first; its parents may still be empty.
      } catch (IOException e) {
        return; // not empty (another blob, or a put about to publish): leave it
      }
      dir = dir.getParent();
    }
  }

  private void deleteStaleTempFiles() {
    long cutoff = System.currentTimeMillis() - STALE_TEMP_AGE.toMillis();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(tempDir)) {
      for (Path temp : stream) {
        try {
          if (Files.getLastModifiedTime(temp).toMillis() < cutoff) {
            Files.deleteIfExists(temp);
          }
        } catch (IOException e) {
          // Best effort: another process may be cleaning up too.
        }
      }
    } catch (IOException e) {
      // Best effort: leftovers are invisible anyway and will be retried on the next open.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A leftover temp file is invisible and is cleaned up on a later open.
    }
  }

  private static boolean isSegment(String name) {
    if (name.equals(TEMP_DIR_NAME)) {
      return false;
    }
    try {
      new BlobKey(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // Listings read no hash records (one more file read per blob): their sha256 is null.
  private static BlobInfo info(BlobKey key, BasicFileAttributes attributes) {
    return new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toMillis());
  }

  private static IllegalArgumentException parentIsBlob(BlobKey key, BlobKey parentBlob) {
    return new IllegalArgumentException(
        "cannot put blob '"
            + key
            + "': its parent '"
            + parentBlob
            + "' is a blob, and on a file system a key cannot be both a blob and the parent of"
            + " blobs; delete '"
            + parentBlob
            + "' first or choose another key");
  }

  private static IllegalArgumentException isParentOfBlobs(BlobKey key, BlobKey childBlob) {
    return new IllegalArgumentException(
        "cannot put blob '"
            + key
            + "': it is the parent of blob '"
            + childBlob
            + "', and on a file system a key cannot be both a blob and the parent of blobs;"
            + " delete the blobs below it first or choose another key");
  }
}
