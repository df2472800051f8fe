package io.cairn.spi;

import io.cairn.internal.store.InMemoryStateStore;
import io.cairn.internal.store.JdbcStateStore;
import io.cairn.internal.store.SqliteDialect;
import java.nio.file.Path;
import java.time.InstantSource;

/** The state stores cairn-core ships. */
public final class StateStores {
  private StateStores() {}

  /**
   * A SQLite file in WAL mode; several processes may share it. Commits survive a crash of the
   * process; use {@link #sqlite(Path, boolean)} with {@code true} to also survive power loss.
   */
  public static StateStore sqlite(Path file) {
    return sqlite(file, false);
  }

  /**
   * A SQLite file in WAL mode.
   *
   * @param syncEveryCommit fsync on every commit ({@code synchronous=FULL}): survives power loss,
   *     costs throughput
   */
  public static StateStore sqlite(Path file, boolean syncEveryCommit) {
    return new JdbcStateStore(new SqliteDialect(file, syncEveryCommit));
  }

  /** A store in memory: nothing survives the process; for tests and throw-away runs. */
  public static StateStore inMemory() {
    return new InMemoryStateStore();
  }

  /**
   * A store in memory whose clock ({@link ResourceStore#now}, by which {@link
   * ResourceStore#claimNext} judges lease expiry) is {@code clock}: tests expire leases by moving
   * it.
   */
  public static StateStore inMemory(InstantSource clock) {
    if (clock == null) {
      throw new IllegalArgumentException(
          "clock is null: pass InstantSource.system() or a test clock");
    }
    return new InMemoryStateStore(clock);
  }
}
