package io.cairn.internal.store;

import io.cairn.CairnException;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * Reader sessions, each used by one thread for one read and then given back. Sessions are made on
 * demand, up to a bound: a thread that finds every session busy waits for one (a database server
 * serves a bounded number of connections, and thousands of threads reading at once gain nothing
 * from as many connections). The most recently used session is reused first, keeping its statements
 * and pages warm.
 */
final class ReaderPool implements AutoCloseable {
  /** A read on a borrowed session. */
  interface Read<T> {
    T run(Session s) throws SQLException;
  }

  /** The default bound: a few sessions per processor, at least 4, at most 32. */
  static final int DEFAULT_MAX_SESSIONS =
      Math.max(4, Math.min(32, 4 * Runtime.getRuntime().availableProcessors()));

  private final SqlDialect dialect;
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
  private final Semaphore sessions;
  private volatile boolean closed;

  ReaderPool(SqlDialect dialect) {
    this(dialect, DEFAULT_MAX_SESSIONS);
  }

  ReaderPool(SqlDialect dialect, int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException(
          "a reader pool needs at least 1 session, got " + maxSessions);
    }
    this.dialect = dialect;
    this.sessions = new Semaphore(maxSessions, true);
  }

  <T> T read(Read<T> read) {
    if (closed) {
      throw new IllegalStateException("state store is closed");
    }
    try {
      sessions.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CairnException(dialect.name() + " state store read interrupted", e);
    }
    try {
      return readHolding(read);
    } finally {
      sessions.release();
    }
  }

  /** How often a read is run again when the database changed under a lock-free reader. */
  private static final int INVALID_READ_ATTEMPTS = 5;

  private <T> T readHolding(Read<T> read) {
    Session s = idle.pollFirst();
    try {
      if (s == null) {
        s = new Session(dialect.openReader());
      }
      T result = read.run(s);
      for (int attempt = 1; !dialect.readStillValid(s.connection); attempt++) {
        s.close();
        s = null;
        if (attempt == INVALID_READ_ATTEMPTS) {
          throw new CairnException(
              "the database kept changing while it was read without locks; retry");
        }
        s = new Session(dialect.openReader());
        result = read.run(s);
      }
      idle.addFirst(s);
      s = null;
      if (closed) {
        close(); // closed while this read ran: do not leave its session open
      }
      return result;
    } catch (SQLException e) {
      throw new CairnException(dialect.name() + " state store read failed: " + e.getMessage(), e);
    } finally {
      if (s != null) {
        s.close(); // a session that failed is not trusted again
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Session s;
    while ((s = idle.pollFirst()) != null) {
      s.close();
    }
  }
}
