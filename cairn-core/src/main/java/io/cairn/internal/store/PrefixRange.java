package io.cairn.internal.store;

import io.cairn.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * The keyset range of a prefix listing ({@link io.cairn.spi.ResourceStore#keysByPrefix}): keys from
 * {@code prefix} (or after the cursor's key) up to, excluding, the least string above every string
 * that starts with the prefix. Bounds compare in UTF-8 byte order, which is code point order:
 * SQLite's BINARY collation and PostgreSQL's "C" collation of the key column.
 */
record PrefixRange(String from, boolean inclusive, String below) {
  /** Every status a resource can be stored with: no status filter at all. */
  static final Set<Status> STORED = EnumSet.complementOf(EnumSet.of(Status.UNAVAILABLE));

  private static final String CURSOR = "k:";

  static PrefixRange of(String prefix, String cursor) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null; pass \"\" for every key");
    }
    String below = above(prefix);
    if (cursor == null || cursor.isEmpty()) {
      return new PrefixRange(prefix, true, below);
    }
    if (!cursor.startsWith(CURSOR) || !cursor.startsWith(prefix, CURSOR.length())) {
      throw new IllegalArgumentException(
          "invalid cursor '" + cursor + "': pass the nextCursor of the previous page");
    }
    return new PrefixRange(cursor.substring(CURSOR.length()), false, below);
  }

  static String cursorAfter(String key) {
    return CURSOR + key;
  }

  /** Whether the filter is exact on an index: no filter, or ERROR alone (its partial index). */
  static boolean indexed(Set<Status> statuses) {
    return statuses.containsAll(STORED) || statuses.equals(EnumSet.of(Status.ERROR));
  }

  /**
   * The least string greater than every string starting with {@code prefix} (null if none: the
   * empty prefix, or one of only U+10FFFF), found by raising its last code point that can be
   * raised.
   */
  static String above(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int cp = prefix.codePointBefore(end);
      int start = end - Character.charCount(cp);
      if (cp < Character.MAX_CODE_POINT) {
        int next = cp + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cp + 1;
        return prefix.substring(0, start) + new String(Character.toChars(next));
      }
      end = start;
    }
    return null;
  }

  /** Code point order, as the databases compare keys (String.compareTo is UTF-16 order). */
  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  boolean contains(String key) {
    int c = compare(key, from);
    return (inclusive ? c >= 0 : c > 0) && (below == null || compare(key, below) < 0);
  }
}
