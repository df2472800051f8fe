-- Keys compare in byte order ("C"), as SQLite's BINARY does: a prefix is then one keyset range
-- (key >= prefix AND key < next(prefix)) on the primary key, which a linguistic collation does not
-- guarantee; "C" comparisons are also cheaper. This rebuilds the primary key once.
ALTER TABLE resources ALTER COLUMN key TYPE TEXT COLLATE "C";

-- ERROR resources of a collection in key order (see the SQLite script of the same version):
-- partial, so only a move into or out of ERROR writes it.
CREATE INDEX resources_errors_by_key ON resources (collection_id, key) WHERE status = 4;
