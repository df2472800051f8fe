package io.cairn.internal.store;

import io.cairn.CairnException;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reader sessions, each used by one thread for one read and then given back. Sessions are made on
 * demand, so there are as many as threads reading at once; the most recently used is reused first,
 * keeping its statements and pages warm.
 */
final class ReaderPool implements AutoCloseable {
  /** A read on a borrowed session. */
  interface Read<T> {
    T run(Session s) throws SQLException;
  }

  private final SqlDialect dialect;
  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ReaderPool(SqlDialect dialect) {
    this.dialect = dialect;
  }

  <T> T read(Read<T> read) {
    if (closed) {
      throw new IllegalStateException("state store is closed");
    }
    Session s = idle.pollFirst();
    try {
      if (s == null) {
        s = new Session(dialect.openReader());
      }
      T result = read.run(s);
      idle.addFirst(s);
      s = null;
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
