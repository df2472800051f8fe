package io.cairn.spi;

import io.cairn.internal.blob.FileSystemBlobStore;
import io.cairn.internal.blob.InMemoryBlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/** The blob stores cairn-core ships. */
public final class BlobStores {
  private BlobStores() {}

  /**
   * Blobs as files under {@code root}, written atomically (temp file, fsync, rename; a hard link
   * for {@code putIfAbsent}), each with its SHA-256 recorded in a hidden sidecar file. A key cannot
   * be both a blob and the parent of blobs here.
   */
  public static BlobStore fileSystem(Path root) {
    return new FileSystemBlobStore(root);
  }

  /**
   * Blobs in memory: nothing survives the process; for tests. Keys are a flat name space, as in S3.
   */
  public static BlobStore inMemory() {
    return new InMemoryBlobStore();
  }

  /**
   * Opens the blob store at {@code location}, with settings from the process environment: see
   * {@link #open(String, Map)}.
   */
  public static BlobStore open(String location) {
    return open(location, System.getenv());
  }

  /**
   * Opens the blob store at {@code location}: a local directory (a path, or a {@code file:} URL) as
   * {@link #fileSystem}, or a URL whose scheme a {@link BlobStoreProvider} on the class path opens,
   * such as {@code s3://bucket/prefix} with the {@code cairn-s3} module.
   *
   * @param environment settings the provider reads, such as {@code CAIRN_S3_ENDPOINT}
   * @throws IllegalArgumentException if {@code location} is blank, or no provider opens its scheme
   *     (the message lists the schemes that can be opened), or the provider refuses it
   */
  public static BlobStore open(String location, Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException(
          "blob store location must not be blank: pass a directory or a url like s3://bucket/prefix");
    }
    String trimmed = location.trim();
    int colon = trimmed.indexOf("://");
    if (colon < 0) {
      return fileSystem(Path.of(trimmed));
    }
    String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return fileSystem(Path.of(java.net.URI.create(trimmed)));
    }
    List<String> known = new ArrayList<>(List.of("file"));
    for (BlobStoreProvider provider : ServiceLoader.load(BlobStoreProvider.class)) {
      if (provider.scheme().equals(scheme)) {
        return provider.open(trimmed, environment);
      }
      known.add(provider.scheme());
    }
    throw new IllegalArgumentException(
        "no blob store opens '"
            + scheme
            + "://' locations (known: "
            + String.join(", ", known)
            + "): put the module that provides it on the class path, e.g. cairn-s3 for s3://");
  }
}
