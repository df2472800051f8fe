package io.cairn.internal.pipeline.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Listing and atomic writing for the repositories kept in local directories. */
final class LocalFiles {
  /** Temp files start with this; no job key can (keys start with a letter or digit). */
  static final String TEMP_PREFIX = ".tmp-";

  private LocalFiles() {}

  /**
   * The names in {@code dir}, sorted, without {@code extension}: of regular files ending with it,
   * or of subdirectories when {@code directories}. A missing directory has none.
   */
  static List<String> names(Path dir, String extension, boolean directories) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(TEMP_PREFIX) || n.equals(Staging.DIR)) {
          continue;
        }
        if (directories
            ? Files.isDirectory(p)
            : n.endsWith(extension) && n.length() > extension.length() && Files.isRegularFile(p)) {
          names.add(n.substring(0, n.length() - extension.length()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    Collections.sort(names);
    return names;
  }

  /**
   * Writes {@code target} (in {@code dir}) atomically: a temp file beside it, forced to disk,
   * renamed over it. Readers see the old content or the new, whole.
   */
  /** Forces a file's content to disk. */
  static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  static void writeAtomically(Path dir, Path target, InputStream data) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      Files.copy(data, tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
