-- The catalog: content-addressed objects (id = SHA-256 of the bytes), their parents (lineage),
-- datasets with ordered partitions and numbered jobs, placements of objects in them, and the puts
-- and garbage collections in flight. Portable SQL: the PostgreSQL variant differs only in types.
CREATE TABLE catalog_objects (
  id         TEXT PRIMARY KEY,
  size       INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  name       TEXT NOT NULL,
  info       TEXT NOT NULL,
  created    INTEGER NOT NULL,
  location   TEXT
);

CREATE INDEX catalog_objects_by_name ON catalog_objects (name, id);

-- Lineage both ways: by child (what it was made from) and by parent (what was made from it).
CREATE TABLE catalog_parents (
  child_id  TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  PRIMARY KEY (child_id, parent_id)
);

CREATE INDEX catalog_parents_by_parent ON catalog_parents (parent_id, child_id);

-- next_job and next_partition are bumped by an UPDATE of the dataset's row, which serializes
-- concurrent newJob/addPartition calls of one dataset on every database (a row lock on PostgreSQL,
-- the write lock on SQLite): job numbers have no gaps and no duplicates.
CREATE TABLE catalog_datasets (
  id             TEXT PRIMARY KEY,
  menu_id        TEXT NOT NULL,
  config_id      TEXT NOT NULL,
  created        INTEGER NOT NULL,
  next_job       INTEGER NOT NULL DEFAULT 0,
  next_partition INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE catalog_partitions (
  dataset_id TEXT NOT NULL,
  pkey       TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, pkey)
);

CREATE UNIQUE INDEX catalog_partitions_in_order ON catalog_partitions (dataset_id, seq);

CREATE TABLE catalog_jobs (
  dataset_id TEXT NOT NULL,
  job        INTEGER NOT NULL,
  created    INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, job)
);

CREATE TABLE catalog_placements (
  object_id  TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  job        INTEGER NOT NULL,
  pkey       TEXT NOT NULL,
  PRIMARY KEY (object_id, dataset_id, job, pkey)
);

CREATE INDEX catalog_placements_by_dataset ON catalog_placements (dataset_id, job, pkey, object_id);

-- A put announces its id before it writes the blob and the registration removes the row; a gc
-- marks an id here before it deletes the blob. The two serialize on these tables, so a gc never
-- deletes a blob a put is about to register.
CREATE TABLE catalog_pending_puts (
  id      TEXT NOT NULL,
  token   TEXT NOT NULL,
  started INTEGER NOT NULL,
  PRIMARY KEY (id, token)
);

CREATE TABLE catalog_gc_marks (
  id    TEXT PRIMARY KEY,
  since INTEGER NOT NULL
)
