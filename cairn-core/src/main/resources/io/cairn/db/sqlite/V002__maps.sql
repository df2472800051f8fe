-- Durable maps: insertion-ordered JSON entries, beside the resources.
CREATE TABLE maps (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL DEFAULT 0
);

-- Clustered on (map_id, seq): iterating a map in insertion order is one range scan, and the next
-- seq of a map is its MAX(seq) + 1, one b-tree descent. A put of an existing key finds it through
-- map_entries_by_key and keeps its seq (its position).
CREATE TABLE map_entries (
  map_id INTEGER NOT NULL,
  seq    INTEGER NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (map_id, seq)
) WITHOUT ROWID;

CREATE UNIQUE INDEX map_entries_by_key ON map_entries (map_id, key);
