package io.cairn;

import java.util.List;

/**
 * One page of a listing, and the cursor that continues it.
 *
 * <p>Listings are paged by cursor, never by offset, so that the cost of a page does not grow with
 * how far into a listing a reader is.
 *
 * @param items the items of this page, in the listing's order
 * @param nextCursor the opaque cursor to pass for the next page, or {@code null} when this is the
 *     last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /** Whether another page may follow. */
  public boolean hasMore() {
    return nextCursor != null;
  }
}
