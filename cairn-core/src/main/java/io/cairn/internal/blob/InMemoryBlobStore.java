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
 * <p>Thread-safe. Reads never lock. Puts and deletes serialize on one lock only for the final map
 * update and the "a key cannot be both a blob and the parent of blobs" check, which this store
 * enforces like the file-system store must; the put's stream is read before the lock is taken. A
 * blob's bytes are never mutated after insertion, so an open {@link #get} stream keeps reading the
 * value it started with.
 */
public final class InMemoryBlobStore implements BlobStore {

  private record Entry(byte[] bytes, long lastModified) {}

  private final ConcurrentSkipListMap<String, Entry> blobs = new ConcurrentSkipListMap<>();
  private final Object writeLock = new Object();
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
    byte[] bytes = data.readAllBytes();
    synchronized (writeLock) {
      checkNoParentOrChildBlob(key);
      Entry entry = new Entry(bytes, clock.millis());
      blobs.put(key.value(), entry);
      return info(key.value(), entry);
    }
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
    synchronized (writeLock) {
      return blobs.remove(key.value()) != null;
    }
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

  private void checkNoParentOrChildBlob(BlobKey key) {
    for (Optional<BlobKey> parent = key.parent();
        parent.isPresent();
        parent = parent.get().parent()) {
      if (blobs.containsKey(parent.get().value())) {
        throw FileSystemBlobStore.parentIsBlob(key, parent.get());
      }
    }
    String childPrefix = key.value() + "/";
    String child = blobs.ceilingKey(childPrefix);
    if (child != null && child.startsWith(childPrefix)) {
      throw FileSystemBlobStore.isParentOfBlobs(key, new BlobKey(child));
    }
  }

  private static BlobInfo info(String key, Entry entry) {
    return new BlobInfo(new BlobKey(key), entry.bytes().length, entry.lastModified());
  }
}
