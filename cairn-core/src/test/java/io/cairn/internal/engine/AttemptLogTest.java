package io.cairn.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attempt-log protocol on a real file-system blob store, with time driven by hand. */
class AttemptLogTest {
  @TempDir Path dir;
  BlobStore blobs;
  final AtomicLong now = new AtomicLong(1_000_000);
  final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  final BlobKey key = LogLocations.ofResource("c", "k");
  Path local;

  @BeforeEach
  void open() {
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    local = dir.resolve("machine-a/resources/c/k/log");
  }

  @AfterEach
  void close() {
    blobs.close();
  }

  AttemptLog log(int attempt, Path file, long chunkBytes) {
    return new AttemptLog(blobs, key, file, attempt, "owner-" + attempt, clock, chunkBytes, 10_000);
  }

  List<String> keys() {
    return blobs.listAll("").map(BlobInfo::key).map(BlobKey::value).toList();
  }

  @Test
  void aQuietSpellOfTenSecondsPublishesAChunkWithTheNextLineNotEveryLine() {
    AttemptLog a = log(1, local, 1 << 20);
    a.write("one\n");
    a.write("two\n");
    assertThat(keys()).isEmpty();
    now.addAndGet(10_000);
    a.write("three\n");
    assertThat(keys()).containsExactly(key.value() + "+000001-000000000000");
    assertThat(LogReader.read(blobs, key, null))
        .isEqualTo("--- attempt 1 by owner-1 ---\none\ntwo\nthree\n");
    a.write("four\n");
    assertThat(keys()).hasSize(1);
    a.close(false);
    assertThat(keys()).containsExactly(key.value());
    assertThat(LogReader.read(blobs, key, null)).endsWith("three\nfour\n");
    assertThat(local).doesNotExist();
    assertThat(local.getParent()).doesNotExist();
  }

  @Test
  void anInterruptedJobStillLogsAndPublishesEveryLine() {
    // A job being drained or cancelled is interrupted, and its last lines say why: they are
    // written and published whole, and the caller still sees its interrupt afterwards.
    AttemptLog a = log(1, local, 1 << 20);
    a.write("working\n");
    Thread.currentThread().interrupt();
    try {
      a.write("interrupted: giving it back\n");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      a.write("last line\n");
      a.close(false);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(keys()).containsExactly(key.value());
    assertThat(LogReader.read(blobs, key, null))
        .isEqualTo(
            "--- attempt 1 by owner-1 ---\nworking\ninterrupted: giving it back\nlast line\n");
    assertThat(local).doesNotExist();
  }

  @Test
  void aCrashedAttemptsLocalFileIsKeptBeforeTheNextAttemptOnTheSameMachine() {
    AttemptLog crashed = log(1, local, 8);
    crashed.write("first attempt line\n"); // past 8 bytes: chunked
    crashed.write("last line before the crash\n");
    // no close: the process died. The reader here shows the whole local file, once.
    assertThat(LogReader.read(blobs, key, local))
        .isEqualTo(
            "--- attempt 1 by owner-1 ---\nfirst attempt line\nlast line before the crash\n");

    AttemptLog next = log(2, local, 1 << 20);
    next.write("second attempt line\n");
    next.close(false);
    assertThat(LogReader.read(blobs, key, local))
        .isEqualTo(
            "--- attempt 1 by owner-1 ---\nfirst attempt line\nlast line before the crash\n"
                + "--- attempt 2 by owner-2 ---\nsecond attempt line\n");
    assertThat(keys()).containsExactly(key.value());
    assertThat(local).doesNotExist();
  }

  @Test
  void aCrashElsewhereIsKeptFromItsChunksByTheNextPublish() {
    AttemptLog crashed = log(1, dir.resolve("machine-b/log"), 8);
    crashed.write("b line 1\n");
    crashed.write("b line 2\n");
    crashed.write("b unchunked tail\n"); // chunked too: each write passes 8 bytes
    assertThat(keys()).hasSize(3);

    AttemptLog next = log(2, local, 1 << 20);
    next.write("a line\n");
    assertThat(LogReader.read(blobs, key, local))
        .startsWith("--- attempt 1 by owner-1 ---\nb line 1\n")
        .endsWith("--- attempt 2 by owner-2 ---\na line\n");
    next.close(false);
    assertThat(keys()).containsExactly(key.value());
    assertThat(LogReader.read(blobs, key, null))
        .isEqualTo(
            "--- attempt 1 by owner-1 ---\nb line 1\nb line 2\nb unchunked tail\n"
                + "--- attempt 2 by owner-2 ---\na line\n");
  }

  @Test
  void aCancelledAttemptPublishesNothingAndLeavesItsLinesForTheNextOwner() throws Exception {
    AttemptLog stale = log(1, local, 1 << 20);
    stale.write("cancelled: the lease was lost\n");
    stale.close(true);
    assertThat(keys()).isEmpty();
    assertThat(Files.readString(local)).contains("cancelled");

    AttemptLog next = log(2, local, 1 << 20);
    next.write("took over\n");
    next.close(false);
    assertThat(LogReader.read(blobs, key, null))
        .isEqualTo(
            "--- attempt 1 by owner-1 ---\ncancelled: the lease was lost\n"
                + "--- attempt 2 by owner-2 ---\ntook over\n");
  }

  @Test
  void anAttemptThatLogsNothingTouchesNeitherDiskNorBlobs() {
    log(1, local, 1 << 20).close(false);
    assertThat(keys()).isEmpty();
    assertThat(dir.resolve("machine-a")).doesNotExist();
  }

  @Test
  void readersFindAPipelineJobsLogBesideItsOutputs() throws Exception {
    BlobKey job = BlobKey.of("my.pipe", "task", "k1", "log");
    AttemptLog a = new AttemptLog(blobs, job, local, 1, "o", clock, 1 << 20, 10_000);
    a.write("job line\n");
    a.close(false);
    assertThat(LogReader.locate(blobs, "my.pipe.task", "k1")).isEqualTo(job);
    assertThat(LogReader.read(blobs, "my.pipe.task", "k1", local)).endsWith("job line\n");
    assertThat(LogReader.read(blobs, "my.pipe.task", "k2", local)).isEmpty();
  }
}
