package io.cairn.internal.engine;

import io.cairn.spi.BlobKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where logs live in the blob store, shared by every machine: a collection resource's at {@code
 * resources/<collection>/<encoded key>/log}, a pipeline job's beside its outputs at {@code
 * <pipeline>/<task>/<key>/log}. While an attempt runs, its chunks sit beside the log as {@code
 * log+<attempt>-<offset>}: siblings, not children, since the file-system store cannot make {@code
 * log} both a blob and a directory, and a name with {@code '+'} that {@link BlobKey#encodeSegment}
 * (which names a job's own outputs) never produces.
 */
public final class LogLocations {
  static final String CHUNK_SEPARATOR = "+";

  private LogLocations() {}

  /** The published log of a collection resource; the key is encoded as local paths encode it. */
  public static BlobKey ofResource(String collection, String key) {
    return BlobKey.of("resources", collection, BlobKey.encodeSegment(key), "log");
  }

  /**
   * Where the log of {@code (collection, key)} may be: the collection resource's location first,
   * then a pipeline job's for every way to split {@code <pipeline>.<task>} at a dot (names may hold
   * dots themselves, so the split is not known from the name alone).
   */
  public static List<BlobKey> candidates(String collection, String key) {
    List<BlobKey> out = new ArrayList<>();
    out.add(ofResource(collection, key));
    for (int dot = collection.indexOf('.'); dot > 0; dot = collection.indexOf('.', dot + 1)) {
      if (dot == collection.length() - 1) {
        break;
      }
      try {
        out.add(
            BlobKey.of(collection.substring(0, dot), collection.substring(dot + 1), key, "log"));
      } catch (IllegalArgumentException notAJobKey) {
        // a key that is not a valid job key cannot be a pipeline job's
      }
    }
    return out;
  }

  /** The name of chunk blob of {@code attempt} starting at {@code offset} of its local file. */
  static BlobKey chunk(BlobKey log, int attempt, long offset) {
    return new BlobKey(
        log.value() + CHUNK_SEPARATOR + String.format("%06d-%012d", attempt, offset));
  }

  /** The listing prefix of a log's chunks. */
  static String chunkPrefix(BlobKey log) {
    return log.value() + CHUNK_SEPARATOR;
  }

  /** A chunk's attempt and offset, parsed from its key; empty for a name that is not a chunk. */
  static Optional<long[]> parseChunk(BlobKey log, String chunkKey) {
    String prefix = chunkPrefix(log);
    if (!chunkKey.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = chunkKey.substring(prefix.length());
    int dash = rest.indexOf('-');
    if (dash <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new long[] {
            Long.parseLong(rest.substring(0, dash)), Long.parseLong(rest.substring(dash + 1))
          });
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
