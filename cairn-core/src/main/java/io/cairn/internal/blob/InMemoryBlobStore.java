package io.cairn.internal.blob;

import io.cairn.Page;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link BlobStore} in this JVM's heap, for tests and throw-away runs. Nothing survives the
 * object.
 *
 * <p>Thread-safe, without locks: every write is one update of a concurrent map, made after the
 * put's stream has been read whole and hashed ({@code putIfAbsent} is the map's own). A blob's
 * bytes are never mutated after insertion, so an open {@link #get} stream keeps reading the value
 * it started with.
 *
 * <p>Keys are a flat name space, as in S3: a key may be both a blob and the parent of blobs ({@code
 * "a"} and {@code "a/b"} side by side). Listings carry each blob's SHA-256.
 */
public final class InMemoryBlobStore implements BlobStore {

  private record Entry(byte[] bytes, long lastModified, String sha256) {}

  private final ConcurrentSkipListMap<String, Entry> blobs = new ConcurrentSkipListMap<>();
  private final InstantSource clock;

  /** An empty store using the system clock for modification times. */
  public InMemoryBlobStore() {
    this(InstantSource.system());
  }

  /** An empty store taking modification times from {@code clock}. */
  public InMemoryBlobStore(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public BlobInfo put(BlobKey key, InputStream data) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    Entry entry = read(data);
    blobs.put(key.value(), entry);
    return info(key.value(), entry);
  }

  @Override
  public Optional<BlobInfo> putIfAbsent(BlobKey key, InputStream data) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    if (blobs.containsKey(key.value())) {
      return Optional.empty();
    }
    Entry entry = read(data);
    return blobs.putIfAbsent(key.value(), entry) == null
        ? Optional.of(info(key.value(), entry))
        : Optional.empty();
  }

  private Entry read(InputStream data) throws IOException {
    byte[] bytes = data.readAllBytes();
    return new Entry(bytes, clock.millis(), Sha256.of(bytes));
  }

  @Override
  public Optional<InputStream> get(BlobKey key) {
    Entry entry = blobs.get(key.value());
    return entry == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(entry.bytes()));
  }

  @Override
  public Optional<BlobInfo> info(BlobKey key) {
    Entry entry = blobs.get(key.value());
    return entry == null ? Optional.empty() : Optional.of(info(key.value(), entry));
  }

  @Override
  public boolean exists(BlobKey key) {
    return blobs.containsKey(key.value());
  }

  @Override
  public boolean delete(BlobKey key) {
    Objects.requireNonNull(key, "key");
    return blobs.remove(key.value()) != null;
  }

  @Override
  public Page<BlobInfo> list(String prefix, String cursor, int limit) {
    BlobStore.checkListArguments(prefix, cursor, limit);
    NavigableMap<String, Entry> tail =
        cursor != null && cursor.compareTo(prefix) >= 0
            ? blobs.tailMap(cursor, false)
            : blobs.tailMap(prefix, true);
    List<BlobInfo> items = new ArrayList<>(Math.min(limit, 64));
    for (Map.Entry<String, Entry> e : tail.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (items.size() == limit) {
        return new Page<>(items, items.get(limit - 1).key().value());
      }
      items.add(info(e.getKey(), e.getValue()));
    }
    return new Page<>(items, null);
  }

  private static BlobInfo info(String key, Entry entry) {
    return new BlobInfo(
        new BlobKey(key), entry.bytes().length, entry.lastModified(), entry.sha256());
  }
}
