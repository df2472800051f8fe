-- Resources, their collections and maintained per-status counts.
-- status holds io.cairn.Status ordinals (the enum is append-only).
CREATE TABLE collections (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE,
  version TEXT NOT NULL DEFAULT ''
);

-- id is the insertion order that listings page by.
CREATE TABLE resources (
  id            INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL,
  key           TEXT NOT NULL,
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
  lease_until   INTEGER NOT NULL
);

CREATE UNIQUE INDEX resources_by_key ON resources (collection_id, key);

CREATE INDEX resources_by_status ON resources (collection_id, status, id);

CREATE TABLE status_counts (
  collection_id INTEGER NOT NULL,
  status        INTEGER NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (collection_id, status)
) WITHOUT ROWID;
