package io.cairn.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads reading at once share a bounded number of reader sessions. */
class ReaderPoolTest {
  @TempDir Path dir;

  @Test
  void sixtyFourThreadsReadingAtOnceUseAtMostTheBoundOfSessions() throws Exception {
    SqliteDialect dialect = new SqliteDialect(dir.resolve("cairn.db"), false);
    // As a store does: the writer creates the database (and puts it in WAL mode) before any
    // reader opens it; four readers racing to switch a new file to WAL can see it locked.
    dialect.openWriter().close();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Set<Session> used = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    try (ReaderPool readers = new ReaderPool(dialect, 4)) {
      List<Future<Integer>> reads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        reads.add(
            pool.submit(
                () -> {
                  start.await();
                  return readers.read(
                      s -> {
                        used.add(s);
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try (var st = s.connection.createStatement();
                            var rs = st.executeQuery("SELECT 1")) {
                          rs.next();
                          Thread.sleep(5); // hold the session, so that readers pile up
                          return rs.getInt(1);
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        } finally {
                          inside.decrementAndGet();
                        }
                      });
                }));
      }
      start.countDown();
      for (Future<Integer> r : reads) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).isBetween(1, 4);
    assertThat(used).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void aBoundBelowOneIsRefused() {
    SqliteDialect dialect = new SqliteDialect(dir.resolve("cairn.db"), false);
    assertThatThrownBy(() -> new ReaderPool(dialect, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 session");
  }
}
