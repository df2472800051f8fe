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
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 *       directory: putting {@code "a/b"} while {@code "a"} is a blob, or {@code "a"} while {@code
 *       "a/b"} is one, throws {@link IllegalArgumentException} naming both keys. Keys below a blob
 *       read as absent.
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

  /**
   * Opens (creating if needed) the store at {@code root}, and deletes temp files left by puts that
   * crashed over an hour ago.
   *
   * @throws UncheckedIOException if the root or its temp directory cannot be created
   */
  public FileSystemBlobStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.tempDir = this.root.resolve(TEMP_DIR_NAME);
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
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    // Fail before consuming the stream when the conflict is already visible.
    Optional<BlobKey> parentBlob = findParentBlob(key);
    if (parentBlob.isPresent()) {
      throw parentIsBlob(key, parentBlob.get());
    }
    checkNotParentOfBlobs(key);
    Path temp = tempDir.resolve("put-" + UUID.randomUUID() + ".part");
    boolean published = false;
    try {
      long size;
      try (FileChannel channel = openNewTempFile(temp)) {
        size = data.transferTo(Channels.newOutputStream(channel));
        channel.force(true);
      }
      long lastModified = Files.getLastModifiedTime(temp).toMillis();
      publish(key, temp);
      published = true;
      return new BlobInfo(key, size, lastModified);
    } finally {
      if (!published) {
        deleteQuietly(temp);
      }
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
    BasicFileAttributes attributes = blobAttributes(key);
    return attributes == null ? Optional.empty() : Optional.of(info(key, attributes));
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    return blobAttributes(key) != null;
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
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

  private static BlobInfo info(BlobKey key, BasicFileAttributes attributes) {
    return new BlobInfo(key, attributes.size(), attributes.lastModifiedTime().toMillis());
  }

  static IllegalArgumentException parentIsBlob(BlobKey key, BlobKey parentBlob) {
    return new IllegalArgumentException(
        "Cannot put blob '"
            + key
            + "': its parent '"
            + parentBlob
            + "' is a blob, and a key cannot be both a blob and the parent of blobs");
  }

  static IllegalArgumentException isParentOfBlobs(BlobKey key, BlobKey childBlob) {
    return new IllegalArgumentException(
        "Cannot put blob '"
            + key
            + "': it is the parent of blob '"
            + childBlob
            + "', and a key cannot be both a blob and the parent of blobs");
  }
}
