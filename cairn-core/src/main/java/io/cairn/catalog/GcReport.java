package io.cairn.catalog;

import java.util.List;

/**
 * What {@link Catalog#gc} found and did.
 *
 * @param deleted blob ids deleted (or that would be, in a dry run)
 * @param kept unreferenced blobs kept because a put of them may still be running
 * @param bytes the bytes freed (or that would be)
 * @param dryRun whether nothing was deleted
 */
public record GcReport(List<String> deleted, int kept, long bytes, boolean dryRun) {
  public GcReport {
    deleted = List.copyOf(deleted);
  }
}
