package io.cairn.internal.blob;

import io.cairn.spi.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 records of a {@link FileSystemBlobStore}: beside the blob file {@code dir/name} a
 * small file {@code dir/.name#sha256} (hidden from {@code ls}; {@code '#'} is in no key segment, so
 * it never collides with a blob and listings skip it) holds one line:
 *
 * <pre>v1 &lt;sha256 hex&gt; &lt;size&gt; &lt;mtime ns&gt; &lt;file key&gt;</pre>
 *
 * <p>The blob and its record are two files, and no file system renames two files atomically, so a
 * record names the file it describes: its size, modification time and file key (device and inode on
 * POSIX), taken from the put's temp file before it was renamed onto the blob's path (a rename or a
 * hard link keeps all three). A record is trusted only while the blob's file still has that
 * identity. So a crash between publishing the blob and writing its record, two puts racing, or a
 * record that is missing (a blob written before records existed, or by another tool), torn or
 * garbled, can never make {@code info} return a hash of other bytes: the store then hashes the file
 * once and records the result. A record is written by temp file and rename without an fsync: losing
 * one in a crash costs one rehash, never a wrong answer.
 */
final class HashSidecars {
  private static final String SUFFIX = "#sha256";
  private static final String VERSION = "v1";
  private static final int MAX_RECORD_BYTES = 4096;

  private final Path tempDir;

  HashSidecars(Path tempDir) {
    this.tempDir = tempDir;
  }

  /** What identifies one version of a blob's file. */
  record Identity(long size, long modifiedNanos, String fileKey) {
    static Identity of(BasicFileAttributes attributes) {
      return new Identity(
          attributes.size(),
          attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
          String.valueOf(attributes.fileKey()));
    }
  }

  static Path sidecarOf(Path blob) {
    return blob.resolveSibling("." + blob.getFileName() + SUFFIX);
  }

  /**
   * The recorded hash of {@code blob}'s file if the record describes the file with {@code
   * current}'s identity; otherwise (no record, a stale or unreadable one) null.
   */
  String read(Path blob, Identity current) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(sidecarOf(blob))) {
      bytes = in.readNBytes(MAX_RECORD_BYTES);
    } catch (IOException e) {
      return null;
    }
    String[] fields = new String(bytes, StandardCharsets.UTF_8).split(" ", 5);
    if (fields.length != 5 || !fields[0].equals(VERSION) || !fields[4].endsWith("\n")) {
      return null;
    }
    try {
      Identity recorded =
          new Identity(
              Long.parseLong(fields[2]),
              Long.parseLong(fields[3]),
              fields[4].substring(0, fields[4].length() - 1));
      return recorded.equals(current) && BlobInfo.isSha256Hex(fields[1]) ? fields[1] : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Records {@code sha256} for {@code blob}'s file of identity {@code identity}, replacing any
   * older record atomically. Best effort: a record that cannot be written is computed again later.
   */
  void write(Path blob, Identity identity, String sha256) {
    Objects.requireNonNull(sha256, "sha256");
    String line =
        String.join(
                " ",
                VERSION,
                sha256,
                Long.toString(identity.size()),
                Long.toString(identity.modifiedNanos()),
                identity.fileKey())
            + "\n";
    Path temp = tempDir.resolve("sha-" + UUID.randomUUID() + ".part");
    try {
      Files.write(temp, line.getBytes(StandardCharsets.UTF_8));
      Files.move(
          temp,
          sidecarOf(blob),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The blob was deleted meanwhile, or the disk refused: info() will hash the file again.
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Invisible; cleaned up with the store's other stale temp files.
      }
    }
  }

  /** Deletes {@code blob}'s record, if any; best effort, since a stale record is never trusted. */
  void delete(Path blob) {
    try {
      Files.deleteIfExists(sidecarOf(blob));
    } catch (IOException e) {
      // Left behind, it only keeps an empty directory from being removed.
    }
  }
}
