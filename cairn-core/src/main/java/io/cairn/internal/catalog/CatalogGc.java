package io.cairn.internal.catalog;

import io.cairn.catalog.GcReport;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobStore;
import io.cairn.spi.CatalogStore;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes catalog blobs no object references. Each deletion is bracketed by a mark in the state
 * store ({@link CatalogStore#doom}, then {@link CatalogStore#undoom}): the mark is refused while
 * the id is registered or a put announced it, and a put waits while the mark stands, so a put and a
 * gc of one id never interleave (see {@link DefaultCatalog}).
 */
final class CatalogGc {
  private final CatalogStore store;
  private final BlobStore blobs;
  private final InstantSource clock;
  private final long grace;

  CatalogGc(CatalogStore store, BlobStore blobs, InstantSource clock, long grace) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.grace = grace;
  }

  GcReport run(boolean dryRun) throws IOException {
    List<String> deleted = new ArrayList<>();
    int kept = 0;
    long bytes = 0;
    String cursor = null;
    do {
      var page = blobs.list(DefaultCatalog.PREFIX, cursor, 1000);
      List<String> ids = new ArrayList<>();
      for (BlobInfo b : page.items()) {
        ids.add(b.key().name());
      }
      List<String> live = store.existing(ids);
      for (BlobInfo b : page.items()) {
        String id = b.key().name();
        if (live.contains(id) || !BlobInfo.isSha256Hex(id)) {
          continue; // referenced, or not a catalog blob (a temp name of some backend)
        }
        if (dryRun) {
          deleted.add(id);
          bytes += b.size();
          continue;
        }
        long now = clock.millis();
        if (!store.doom(id, now - grace, now)) {
          kept++;
          continue;
        }
        try {
          if (blobs.delete(b.key())) {
            deleted.add(id);
            bytes += b.size();
          }
        } finally {
          store.undoom(id);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return new GcReport(deleted, kept, bytes, dryRun);
  }
}
