package io.cairn.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads a SQLite home without changing a byte of it: no writer connection, no migration, and no
 * file created beside the database.
 *
 * <p>A read-only connection ({@code SQLITE_OPEN_READONLY}, {@code mode=ro}) on a WAL database whose
 * {@code -wal} and {@code -shm} files are absent (no process has it open) creates both and, being
 * read-only, cannot remove them on close: they stay behind and the home directory's mtime changes.
 * So when no {@code -wal} file exists, the database file holds every committed transaction and is
 * read with {@code immutable=1}, which opens no other file and takes no lock. Without locks, a
 * writer could start and checkpoint into the file while a read runs; {@link #readStillValid}
 * therefore compares the file's size and mtime, and the absence of {@code -wal}, after each read
 * with what they were when the connection opened, and the read is run again on a fresh connection
 * when anything changed. When {@code -wal} exists, a writer has the database open (or crashed with
 * it open): its {@code -shm} is there too, and a {@code mode=ro} connection reads through them,
 * creating nothing. {@code readonly_shm=1} maps the {@code -shm} read-only: an ordinary reader
 * writes its read mark into it, which changes its mtime. SQLite then reads the WAL index without a
 * read mark and checks what it read, which costs a little per transaction and stays correct
 * whatever the writer does. A {@code -wal} with commits but no {@code -shm} (a crashed writer's,
 * its index removed) cannot be read without writing: that is refused with a message saying how to
 * recover it.
 */
final class ReadOnlySqliteDialect implements SqlDialect {
  private final Path file;
  private final Path wal;
  private final Path shm;

  /** The file's state when each immutable connection opened; absent for {@code mode=ro} ones. */
  private final Map<Connection, FileState> immutable =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The database file's identity, size and mtime, and the size of its {@code -wal} (-1: none). */
  private record FileState(long size, long modifiedNanos, Object fileKey, long walSize) {}

  ReadOnlySqliteDialect(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.wal = this.file.resolveSibling(this.file.getFileName() + "-wal");
    this.shm = this.file.resolveSibling(this.file.getFileName() + "-shm");
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public Connection openWriter() throws SQLException {
    throw new IllegalStateException(
        "the database " + file + " was opened read-only: open the home with Cairn.open to write");
  }

  @Override
  public void begin(Connection writer) {
    throw new IllegalStateException("read-only dialect has no transactions to begin");
  }

  @Override
  public void commit(Connection writer) {
    throw new IllegalStateException("read-only dialect has no transactions to commit");
  }

  @Override
  public void rollback(Connection writer) {}

  @Override
  public Connection openReader() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.OPEN_URI);
    config.setBusyTimeout(10_000);
    FileState before = state();
    if (before.walSize() >= 0 && Files.exists(shm)) {
      return config.createConnection("jdbc:sqlite:file:" + uriPath() + "?mode=ro&readonly_shm=1");
    }
    if (before.walSize() > 0) {
      // Read-only, SQLite can neither rebuild the missing index nor read the log without it.
      throw new SQLException(
          "the database's write-ahead log "
              + wal.getFileName()
              + " holds commits but its index "
              + shm.getFileName()
              + " is missing (a writer crashed and it was removed, or the home was copied"
              + " without it): run 'cairn check --upgrade' or any command that writes once to"
              + " recover it");
    }
    Connection c = config.createConnection("jdbc:sqlite:file:" + uriPath() + "?immutable=1");
    immutable.put(c, before);
    return c;
  }

  /** The path with the characters a SQLite URI gives a meaning to escaped. */
  private String uriPath() {
    return file.toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
  }

  @Override
  public boolean readStillValid(Connection reader) {
    FileState opened = immutable.get(reader);
    if (opened == null) {
      return true;
    }
    try {
      return opened.equals(state());
    } catch (SQLException e) {
      return false;
    }
  }

  private FileState state() throws SQLException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileState(
          a.size(),
          a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
          Objects.requireNonNullElse(a.fileKey(), ""),
          walSize());
    } catch (NoSuchFileException e) {
      throw new SQLException("the database " + file + " disappeared while it was read", e);
    } catch (IOException e) {
      throw new SQLException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private long walSize() throws IOException {
    try {
      return Files.size(wal);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  @Override
  public boolean isRetryable(SQLException e) {
    return false;
  }

  @Override
  public long nextSeqs(Connection writer, String name, int n) {
    throw new IllegalStateException("read-only dialect allocates no sequence numbers");
  }

  @Override
  public long now(Connection connection) {
    return System.currentTimeMillis();
  }

  @Override
  public String schemaDirectory() {
    return "io/cairn/db/sqlite";
  }

  @Override
  public String addToCountSql() {
    throw new IllegalStateException("read-only dialect writes no counts");
  }
}
