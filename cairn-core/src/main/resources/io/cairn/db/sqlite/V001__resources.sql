-- Resources, their collections and maintained per-status counts.
-- status holds io.cairn.Status ordinals (the enum is append-only).
CREATE TABLE collections (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE,
  version TEXT NOT NULL DEFAULT ''
);

-- Clustered on (collection_id, key): a resource is one b-tree lookup, and a new resource costs
-- one b-tree insert plus its status index entry. seq is the insertion order listings page by.
CREATE TABLE resources (
  collection_id INTEGER NOT NULL,
  key           TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  status        INTEGER NOT NULL,
  attempts      INTEGER NOT NULL,
  args          TEXT,
  result        TEXT,
  error         TEXT,
  fingerprint   TEXT,
  queued_at     INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER NOT NULL,
  owner         TEXT,
  lease_until   INTEGER NOT NULL,
  PRIMARY KEY (collection_id, key)
) WITHOUT ROWID;

-- Listing by status in insertion order, covered (the key rides along as part of the primary key).
CREATE INDEX resources_by_status ON resources (collection_id, status, seq);

CREATE TABLE status_counts (
  collection_id INTEGER NOT NULL,
  status        INTEGER NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (collection_id, status)
) WITHOUT ROWID;

-- The next insertion sequence number; the writer reads it once per batch.
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  next INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO sequences (name, next) VALUES ('resources', 1);
