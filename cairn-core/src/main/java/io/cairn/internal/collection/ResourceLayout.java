package io.cairn.internal.collection;

import io.cairn.ResourcePaths;
import io.cairn.spi.BlobKey;
import java.nio.file.Path;

/**
 * Where a resource's local files live: {@code <home>/resources/<collection>/<encoded key>/} (a
 * running attempt's log, storage; the published log is in the blob store, see {@code
 * LogLocations}). The key is user data, so it is encoded into one safe path segment (no '/', no
 * '..', no NUL, long keys hashed): whatever the key, its files stay inside its own directory.
 */
final class ResourceLayout {
  private final Path root;

  ResourceLayout(Path home) {
    this.root = home.resolve("resources");
  }

  ResourcePaths paths(String collection, String key) {
    Path base = root.resolve(collection).resolve(BlobKey.encodeSegment(key));
    return new ResourcePaths(base, base.resolve("log"), base.resolve("storage"));
  }
}
