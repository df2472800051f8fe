package io.cairn.internal.engine;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A collection resource's own files (its {@code storage/} directory) in the blob store, at {@code
 * resources/<collection>/<encoded key>/files/<encoded path>}, beside its published log.
 *
 * <p>They are written to the local directory while the attempt runs, as before, and copied to the
 * blob store when the attempt completes, but only when the blobs live elsewhere than a local file
 * system (S3): a local home's files are already where every reader on the machine finds them, and
 * copying them would double their disk use. The local copy stays as the running machine's cache;
 * other machines (a server, a worker elsewhere) read the blob store.
 */
public final class ResourceFileBlobs {
  private static final String FILES = "files";

  /** Files deeper than this are not published: a runaway tree is not a resource's output. */
  private static final int MAX_DEPTH = 32;

  private ResourceFileBlobs() {}

  /** Whether a resource's files are copied to {@code blobs} when its attempt completes. */
  public static boolean publishesTo(BlobStore blobs) {
    return !(blobs instanceof FileSystemBlobStore);
  }

  /** The prefix of a resource's files; the key is encoded as its log's location encodes it. */
  public static BlobKey directory(String collection, String key) {
    return BlobKey.of("resources", collection, BlobKey.encodeSegment(key), FILES);
  }

  /** The blob of {@code relative} (segments joined by '/') among a resource's files. */
  public static BlobKey of(String collection, String key, String relative) {
    BlobKey k = directory(collection, key);
    for (String segment : relative.split("/", -1)) {
      k = k.resolve(BlobKey.encodeSegment(segment));
    }
    return k;
  }

  /**
   * Copies every regular file under {@code storage} (no symbolic links followed) to the blob store;
   * returns how many. A directory that does not exist publishes nothing.
   */
  public static int publish(BlobStore blobs, String collection, String key, Path storage)
      throws IOException {
    if (!Files.isDirectory(storage, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(storage, MAX_DEPTH)) {
      files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    for (Path file : files) {
      String relative = storage.relativize(file).toString().replace('\\', '/');
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        blobs.put(of(collection, key, relative), in);
      }
    }
    return files.size();
  }

  /** A published file: its path under the resource's storage directory, and its blob. */
  public record Listed(String path, BlobInfo blob) {}

  /** Up to {@code limit} published files of a resource, in key order. */
  public static List<Listed> list(BlobStore blobs, String collection, String key, int limit) {
    String prefix = directory(collection, key).value() + "/";
    List<Listed> out = new ArrayList<>();
    try (Stream<BlobInfo> all = blobs.listAll(prefix)) {
      all.limit(limit)
          .forEach(b -> out.add(new Listed(decode(b.key().value().substring(prefix.length())), b)));
    }
    return out;
  }

  /** The path a key's segments encode ({@link BlobKey#encodeSegment} undone, '%XX' to bytes). */
  static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
