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
 * whatever the writer does.
 */
final class ReadOnlySqliteDialect implements SqlDialect {
  private final Path file;
  private final Path wal;

  /** The file's state when each immutable connection opened; absent for {@code mode=ro} ones. */
  private final Map<Connection, FileState> immutable =
      Collections.synchronizedMap(new WeakHashMap<>());

  private record FileState(long size, long modifiedNanos, Object fileKey) {}

  ReadOnlySqliteDialect(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.wal = this.file.resolveSibling(this.file.getFileName() + "-wal");
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
    if (Files.exists(wal)) {
      return config.createConnection("jdbc:sqlite:file:" + uriPath() + "?mode=ro&readonly_shm=1");
    }
    FileState before = state();
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
      return !Files.exists(wal) && opened.equals(state());
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
          Objects.requireNonNullElse(a.fileKey(), ""));
    } catch (NoSuchFileException e) {
      throw new SQLException("the database " + file + " disappeared while it was read", e);
    } catch (IOException e) {
      throw new SQLException("cannot read " + file + ": " + e.getMessage(), e);
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
