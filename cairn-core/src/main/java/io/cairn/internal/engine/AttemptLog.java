package io.cairn.internal.engine;

import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The log of one attempt: written to a local file while the attempt runs, published to the blob
 * store once when it ends.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>Nothing happens until the first line: an attempt that logs nothing costs no file and no
 *       blob call. The first line creates the local file ({@code ResourcePaths.log()}) and writes
 *       the attempt's header line ({@code --- attempt N by <owner> ---}); every line is written
 *       through to the OS, so a crash keeps what was logged.
 *   <li>A long attempt copies what it logged since the last copy into a chunk blob ({@code
 *       log+<attempt>-<offset>}, see {@link LogLocations}) once {@value #CHUNK_BYTES} bytes or
 *       {@value #CHUNK_MILLIS} ms have passed, checked when a line is written (not per line, and
 *       not by a timer: a quiet attempt's last lines stay local until its next line or its end).
 *       Readers elsewhere see the chunks; the local file keeps everything.
 *   <li>When the attempt ends (completed, failed) the log is published: the previous attempts'
 *       published log, then any unpublished attempt a crash left in chunks, then this attempt's
 *       whole local file, in one put of {@code log}. Then the chunks are deleted, then the local
 *       file (and its directory if that leaves it empty). Logs keep every attempt's lines, each
 *       after its header, as one file did before: users read the history of a flaky resource in one
 *       place. A crash between the put and the deletes leaves copies that readers skip, since their
 *       attempt's header is in the published log.
 *   <li>A lost lease (cancelled attempt) publishes nothing, like a crash: another owner holds the
 *       resource and publishes the log next.
 *   <li>A crash leaves the local file (and chunks). If the next attempt runs on the same machine,
 *       its first line finds that file and folds it into the published log before truncating it (we
 *       hold the lease, so its writer is dead); chunks of a crash elsewhere are folded in by the
 *       next publish. So a crashed attempt's lines are kept, in attempt order.
 * </ol>
 *
 * <p>A failing blob store or disk never fails the attempt: the problem is printed once on stderr,
 * and what could not be published stays local.
 *
 * <p>Thread-safe: lines from several threads of one attempt do not interleave.
 */
public final class AttemptLog {
  static final long CHUNK_BYTES = 1 << 20;
  static final long CHUNK_MILLIS = 10_000;

  private final BlobStore blobs;
  private final BlobKey key;
  private final Path file;
  private final int attempt;
  private final String owner;
  private final InstantSource clock;
  private final long chunkBytes;
  private final long chunkMillis;

  // all guarded by this
  // Classic file I/O, not a FileChannel: a FileChannel written by an interrupted thread (a job
  // being cancelled or drained) closes itself, and every later line of the attempt was lost.
  private java.io.RandomAccessFile out;
  private long written;
  private long chunked;
  private long lastChunkAt;
  private final List<BlobKey> chunks = new ArrayList<>();
  private boolean localFailed;
  private boolean blobFailed;
  private boolean closed;

  /** The log of {@code attempt}, published at {@code key}, written locally to {@code file}. */
  public static AttemptLog of(Engine engine, BlobKey key, Path file, int attempt) {
    return new AttemptLog(
        engine.blobs(),
        key,
        file,
        attempt,
        engine.owner(),
        engine.clock(),
        CHUNK_BYTES,
        CHUNK_MILLIS);
  }

  AttemptLog(
      BlobStore blobs,
      BlobKey key,
      Path file,
      int attempt,
      String owner,
      InstantSource clock,
      long chunkBytes,
      long chunkMillis) {
    this.blobs = blobs;
    this.key = key;
    this.file = file;
    this.attempt = attempt;
    this.owner = owner;
    this.clock = clock;
    this.chunkBytes = chunkBytes;
    this.chunkMillis = chunkMillis;
  }

  /** Appends {@code text} (whole lines) to the attempt's log. */
  public synchronized void write(String text) {
    if (closed || localFailed) {
      return;
    }
    // An interrupted job still logs why it stopped: the interrupt is for its work, not its log.
    boolean interrupted = Thread.interrupted();
    try {
      writeLine(text);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writeLine(String text) {
    try {
      if (out == null) {
        open();
      }
      append(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      // A full disk must not turn a good computation into a failure; say so once.
      localFailed = true;
      System.err.println("cairn: cannot write log " + file + ": " + e);
      return;
    }
    if (written - chunked >= chunkBytes || clock.millis() - lastChunkAt >= chunkMillis) {
      publishChunk();
    }
  }

  /**
   * Ends the attempt's log: publishes it unless {@code cancelled} (the lease was lost; the next
   * owner publishes). Idempotent; costs nothing when nothing was logged.
   */
  public synchronized void close(boolean cancelled) {
    if (closed) {
      return;
    }
    closed = true;
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // every line was written through already
    }
    if (cancelled || localFailed) {
      return;
    }
    // Publishing reads files and writes a blob, both of which an interrupt would abort: an
    // attempt ended by an interrupt (drained, timed out) publishes its log all the same.
    boolean interrupted = Thread.interrupted();
    try {
      publish();
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "cairn: cannot publish log " + key.value() + " (it stays in " + file + "): " + e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void open() throws IOException {
    Files.createDirectories(file.getParent());
    out = new java.io.RandomAccessFile(file.toFile(), "rw");
    if (out.length() > 0) {
      foldLeftover();
    }
    lastChunkAt = clock.millis();
    append(LogReader.header(attempt, owner).getBytes(StandardCharsets.UTF_8));
  }

  private void append(byte[] bytes) throws IOException {
    out.write(bytes);
    written += bytes.length;
  }

  /**
   * Publishes what a crashed attempt left in the local file (and any chunks) before this attempt
   * reuses the file.
   */
  private void foldLeftover() throws IOException {
    try {
      LogReader.Assembly found = LogReader.assembly(blobs, key, file, false);
      put(found.parts());
      deleteChunks(found.chunks());
    } catch (IOException | RuntimeException e) {
      // Keep going: losing the crashed lines is better than losing this attempt's.
      System.err.println("cairn: cannot publish the crashed attempt's log " + file + ": " + e);
    }
    out.setLength(0);
  }

  private void publishChunk() {
    if (blobFailed || written == chunked) {
      return;
    }
    long from = chunked;
    long length = written - from;
    BlobKey chunk = LogLocations.chunk(key, attempt, from);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      in.position(from);
      blobs.put(chunk, bounded(Channels.newInputStream(in), length));
      chunks.add(chunk);
      chunked = from + length;
    } catch (IOException | RuntimeException e) {
      blobFailed = true; // the local file keeps everything; the final publish tries again
      System.err.println("cairn: cannot publish a chunk of log " + key.value() + ": " + e);
    }
    lastChunkAt = clock.millis();
  }

  private void publish() throws IOException {
    List<LogReader.Part> parts;
    List<BlobKey> toDelete;
    if (attempt > 1) {
      // Earlier attempts' lines (and a crash's chunks elsewhere) come first.
      LogReader.Assembly found = LogReader.assembly(blobs, key, file, true);
      parts = found.parts();
      toDelete = found.chunks();
    } else {
      parts = List.of(() -> Files.newInputStream(file));
      toDelete = chunks;
    }
    put(parts);
    deleteChunks(toDelete);
    Files.deleteIfExists(file);
    try {
      Files.deleteIfExists(file.getParent()); // only if the log was all it held
    } catch (DirectoryNotEmptyException | NoSuchFileException keep) {
      // storage/ or another file lives there
    }
  }

  private void put(List<LogReader.Part> parts) throws IOException {
    try (InputStream all = new SequenceInputStream(lazy(parts.iterator()))) {
      blobs.put(key, all);
    }
  }

  /** Opens each part only when the previous one is read to its end. */
  private static java.util.Enumeration<InputStream> lazy(Iterator<LogReader.Part> it) {
    return new java.util.Enumeration<>() {
      @Override
      public boolean hasMoreElements() {
        return it.hasNext();
      }

      @Override
      public InputStream nextElement() {
        try {
          return it.next().open();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private void deleteChunks(List<BlobKey> keys) {
    for (BlobKey c : keys) {
      try {
        blobs.delete(c);
      } catch (IOException | RuntimeException e) {
        // readers skip a published attempt's chunks; the next publish tries again
      }
    }
  }

  private static InputStream bounded(InputStream in, long limit) {
    return new InputStream() {
      private long left = limit;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(buf, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }
}
