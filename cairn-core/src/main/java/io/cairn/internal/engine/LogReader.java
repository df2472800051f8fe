package io.cairn.internal.engine;

import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a log as the one text it is to a user, from wherever its parts are: the published log in
 * the blob store (every finished attempt, each after its header line), then each attempt that has
 * not been published yet, in attempt order, from its local in-progress file where this machine has
 * it, else from its chunks. An attempt whose header is already in the published log is skipped, so
 * a read racing with a publish, or the leftovers of a crash between the publish and their removal,
 * never show lines twice. The same assembly is what {@link AttemptLog} publishes.
 *
 * <p>No threads, no writes: safe for read-only clients.
 */
public final class LogReader {
  private static final String HEADER = "--- attempt ";
  private static final int READ_TRIES = 3;

  private LogReader() {}

  /** The header line that opens an attempt's section of a log. */
  static String header(int attempt, String owner) {
    return HEADER + attempt + " by " + owner + " ---\n";
  }

  /**
   * The log of {@code (collection, key)}: the first of its {@link LogLocations#candidates} that has
   * a published log or chunks, else the in-progress local file alone; "" when there is none.
   *
   * @param localFile the resource's local in-progress log ({@code ResourcePaths.log()})
   */
  public static String read(BlobStore blobs, String collection, String key, Path localFile) {
    return read(blobs, locate(blobs, collection, key), localFile);
  }

  /** Where the log of {@code (collection, key)} is published, or will be by a running attempt. */
  public static BlobKey locate(BlobStore blobs, String collection, String key) {
    List<BlobKey> candidates = LogLocations.candidates(collection, key);
    try {
      for (BlobKey k : candidates) {
        if (blobs.exists(k)
            || !blobs.list(LogLocations.chunkPrefix(k), null, 1).items().isEmpty()) {
          return k;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of " + collection + "/" + key, e);
    }
    return candidates.get(0);
  }

  /** The log published at {@code log}, with its unpublished attempts. */
  public static String read(BlobStore blobs, BlobKey log, Path localFile) {
    try {
      for (int tryNo = 1; ; tryNo++) {
        Optional<BlobInfo> before = blobs.info(log);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (Part p : assembly(blobs, log, localFile, false).parts()) {
          try (InputStream in = p.open()) {
            in.transferTo(text);
          }
        }
        // A publish in between may have removed chunks already read as missing: read again.
        if (tryNo == READ_TRIES || sameBlob(before, blobs.info(log))) {
          return text.toString(StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log " + log.value(), e);
    }
  }

  private static boolean sameBlob(Optional<BlobInfo> a, Optional<BlobInfo> b) {
    return a.map(i -> i.size() + "@" + i.lastModified())
        .equals(b.map(i -> i.size() + "@" + i.lastModified()));
  }

  /** A part of a log, opened when its turn comes. */
  interface Part {
    InputStream open() throws IOException;
  }

  /** What {@link #assemble} found: the parts in order, and every chunk blob listed. */
  record Assembly(List<Part> parts, List<BlobKey> chunks) {}

  /**
   * The parts of the whole log in order: the published log, then each unpublished attempt from
   * {@code localFile} (when it holds that attempt) or its chunks. With {@code localIsLast} (the
   * writer publishing its own attempt), the local file comes last whatever the published log holds,
   * so that an attempt number reused after its record was forgotten is never dropped.
   */
  static Assembly assembly(BlobStore blobs, BlobKey log, Path localFile, boolean localIsLast)
      throws IOException {
    List<Part> parts = new ArrayList<>();
    int publishedMax = 0;
    Optional<byte[]> published = blobs.getBytes(log);
    if (published.isPresent()) {
      byte[] bytes = published.get();
      publishedMax = lastAttempt(bytes);
      parts.add(() -> new ByteArrayInputStream(bytes));
    }
    TreeMap<Long, TreeMap<Long, BlobKey>> byAttempt = new TreeMap<>();
    List<BlobKey> all = new ArrayList<>();
    blobs
        .listAll(LogLocations.chunkPrefix(log))
        .forEach(
            info ->
                LogLocations.parseChunk(log, info.key().value())
                    .ifPresent(
                        p -> {
                          all.add(info.key());
                          byAttempt
                              .computeIfAbsent(p[0], a -> new TreeMap<>())
                              .put(p[1], info.key());
                        }));
    Optional<Integer> localAttempt = localFile == null ? Optional.empty() : attemptOf(localFile);
    localAttempt.ifPresent(a -> byAttempt.computeIfAbsent((long) a, x -> new TreeMap<>()));
    if (localIsLast) {
      localAttempt.ifPresent(a -> byAttempt.remove((long) a));
    }
    for (Map.Entry<Long, TreeMap<Long, BlobKey>> e : byAttempt.entrySet()) {
      if (e.getKey() <= publishedMax) {
        continue;
      }
      if (localAttempt.isPresent() && localAttempt.get() == e.getKey().intValue()) {
        // The local file holds the whole attempt; its chunks are copies of its beginning.
        parts.add(() -> Files.newInputStream(localFile));
        continue;
      }
      for (BlobKey c : e.getValue().values()) {
        // A chunk deleted since the listing belongs to an attempt published meanwhile.
        parts.add(() -> blobs.get(c).orElseGet(InputStream::nullInputStream));
      }
    }
    if (localIsLast) {
      parts.add(() -> Files.newInputStream(localFile));
    }
    return new Assembly(parts, all);
  }

  /** The attempt named by the header line a local log file starts with; empty if none. */
  static Optional<Integer> attemptOf(Path localFile) {
    byte[] head;
    try (InputStream in = Files.newInputStream(localFile)) {
      head = in.readNBytes(200);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // unreadable here: the chunks stand in for it
    }
    return attemptIn(new String(head, StandardCharsets.UTF_8), 0);
  }

  /** The highest attempt whose header line is in {@code log}; 0 when none is. */
  static int lastAttempt(byte[] log) {
    String text = new String(log, StandardCharsets.UTF_8);
    int max = 0;
    for (int i = text.indexOf(HEADER); i >= 0; i = text.indexOf(HEADER, i + 1)) {
      if (i == 0 || text.charAt(i - 1) == '\n') {
        max = Math.max(max, attemptIn(text, i).orElse(0));
      }
    }
    return max;
  }

  private static Optional<Integer> attemptIn(String text, int at) {
    if (!text.startsWith(HEADER, at)) {
      return Optional.empty();
    }
    int start = at + HEADER.length();
    int end = start;
    while (end < text.length() && Character.isDigit(text.charAt(end)) && end - start < 9) {
      end++;
    }
    return end == start
        ? Optional.empty()
        : Optional.of(Integer.parseInt(text.substring(start, end)));
  }
}
