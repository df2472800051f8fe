package io.cairn.internal.store;

import io.cairn.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to open a home that was used but lost its database. A missing or empty {@code cairn.db}
 * beside resource directories, blobs or job work directories is not a new home: opening it would
 * create an empty database, every status would say "never asked for", and a run would redo
 * everything while the old files are still there.
 */
public final class LostDatabaseGuard {
  /** The directories a home's use leaves behind, relative to the home. */
  private static final List<String> USED_DIRECTORIES = List.of("resources", "blobs", "work");

  private LostDatabaseGuard() {}

  /**
   * Throws if {@code db} is missing or empty while the home has been used; does nothing for a fresh
   * or empty home, or when the database has content. Creates nothing.
   *
   * @throws CairnException saying what was found and how to proceed
   */
  public static void check(Path home, Path db) {
    String state = databaseState(db);
    if (state == null) {
      return;
    }
    List<String> used = usedDirectories(home);
    if (used.isEmpty()) {
      return;
    }
    throw new CairnException(
        "home "
            + home
            + " was used (it has "
            + String.join(", ", used)
            + ") but its database "
            + db.getFileName()
            + " is "
            + state
            + ": restore "
            + db.getFileName()
            + " from a backup, or remove "
            + String.join(", ", used)
            + " to start over");
  }

  /** "missing", "empty (0 bytes)", or null when the database has content. */
  static String databaseState(Path db) {
    try {
      if (!Files.exists(db)) {
        return "missing";
      }
      if (Files.size(db) > 0) {
        return null;
      }
      // An empty main file with a write-ahead log that holds frames is not lost: SQLite reads them.
      Path wal = db.resolveSibling(db.getFileName() + "-wal");
      return Files.exists(wal) && Files.size(wal) > 0 ? null : "empty (0 bytes)";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + db + ": " + e.getMessage(), e);
    }
  }

  /** The used directories of a home that hold anything (Cairn's own temp names aside). */
  static List<String> usedDirectories(Path home) {
    List<String> used = new ArrayList<>();
    for (String name : USED_DIRECTORIES) {
      Path dir = home.resolve(name);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path e : entries) {
          // The blob store's temp directory is created on open, before anything is stored.
          if (!e.getFileName().toString().startsWith(".")) {
            used.add(name + "/");
            break;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    return used;
  }
}
