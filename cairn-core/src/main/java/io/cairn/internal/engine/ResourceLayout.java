package io.cairn.internal.engine;

import io.cairn.Resource;
import io.cairn.ResourcePaths;
import io.cairn.internal.json.Json;
import io.cairn.spi.BlobKey;
import io.cairn.spi.StoredResource;
import java.nio.file.Path;

/**
 * Where a resource's local files live: {@code <home>/resources/<collection>/<encoded key>/} (a
 * running attempt's log, storage; the published log is in the blob store, see {@code
 * LogLocations}). The key is user data, so it is encoded into one safe path segment (no '/', no
 * '..', no NUL, long keys hashed): whatever the key, its files stay inside its own directory. Every
 * face (collections, pipeline jobs) shows its resources through {@link #toResource}.
 */
public final class ResourceLayout {
  private final Path root;

  public ResourceLayout(Path home) {
    this.root = home.resolve("resources");
  }

  public ResourcePaths paths(String collection, String key) {
    Path base = root.resolve(collection).resolve(BlobKey.encodeSegment(key));
    return new ResourcePaths(base, base.resolve("log"), base.resolve("storage"));
  }

  /** The user's snapshot of a stored resource. */
  public Resource toResource(StoredResource r) {
    return new Resource(
        r.collection(),
        r.key(),
        r.status(),
        r.attempts(),
        Json.readMap(r.argsJson()),
        Json.read(r.resultJson()),
        r.error(),
        r.queuedAt(),
        r.startedAt(),
        r.endedAt(),
        r.owner(),
        paths(r.collection(), r.key()));
  }
}
