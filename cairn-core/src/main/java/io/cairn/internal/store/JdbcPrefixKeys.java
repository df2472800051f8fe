package io.cairn.internal.store;

import io.cairn.Page;
import io.cairn.Status;
import io.cairn.spi.ResourceStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prefix listings on SQLite and PostgreSQL alike: a keyset range on the primary key (collection_id,
 * key), or for ERROR alone on the partial index of ERROR rows (V006), which costs a write only when
 * a resource enters or leaves ERROR, never on the fetch path. Other status filters read the range
 * in key order and filter, at most {@link ResourceStore#PREFIX_SCAN} keys past the limit per page.
 */
final class JdbcPrefixKeys {
  private static final String RANGE =
      "SELECT key, status FROM resources%s WHERE collection_id = ? AND key %s ?%s%s ORDER BY key"
          + " LIMIT ?";
  private static final int ERROR = Status.ERROR.ordinal();

  private JdbcPrefixKeys() {}

  static Page<String> page(
      ReaderPool readers,
      String dialect,
      long cid,
      Set<Status> statuses,
      PrefixRange range,
      int limit) {
    boolean exact = PrefixRange.indexed(statuses);
    boolean errorsOnly = exact && !statuses.containsAll(PrefixRange.STORED);
    // A literal status, not a parameter: the planners match a partial index's predicate only so.
    // SQLite without ANALYZE statistics prefers the primary key's range and filters it, which at
    // 10,000,000 resources reads every row of a common prefix; PostgreSQL's planner has statistics.
    String sql =
        String.format(
            RANGE,
            errorsOnly && dialect.equals("sqlite") ? " INDEXED BY resources_errors_by_key" : "",
            range.inclusive() ? ">=" : ">",
            range.below() == null ? "" : " AND key < ?",
            errorsOnly ? " AND status = " + ERROR : "");
    int fetch = exact ? limit + 1 : limit + 1 + ResourceStore.PREFIX_SCAN;
    return readers.read(
        s -> {
          PreparedStatement ps = s.statement(sql);
          int i = 1;
          ps.setLong(i++, cid);
          ps.setString(i++, range.from());
          if (range.below() != null) {
            ps.setString(i++, range.below());
          }
          ps.setInt(i, fetch);
          List<String> keys = new ArrayList<>();
          String last = null;
          int read = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read++;
              String key = rs.getString(1);
              if (statuses.contains(Status.values()[rs.getInt(2)])) {
                if (keys.size() == limit) {
                  return new Page<>(keys, PrefixRange.cursorAfter(last));
                }
                keys.add(key);
              }
              last = key;
            }
          }
          // The scan bound cut the range short: go on after the last key examined.
          boolean cut = read == fetch;
          return new Page<>(keys, cut ? PrefixRange.cursorAfter(last) : null);
        });
  }
}
