-- The durable queue and the change cursor.
-- work: the JSON of the WorkSpec a QUEUED resource carries (a worker claims only rows that have it).
-- change_seq: the number of the last write of the row, from the 'changes' sequence; a watcher
-- reads the rows changed after a point in that order (changesSince).
ALTER TABLE resources ADD COLUMN work TEXT;
ALTER TABLE resources ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;

-- Existing rows count as changed when they were inserted, so a cursor from 0 sees them all.
UPDATE resources SET change_seq = seq;

CREATE INDEX resources_by_change ON resources (change_seq);

-- The queue: only QUEUED (ordinal 1) rows carrying work are in it, in queue order, so a claim
-- reads the head of the queue without walking past QUEUED rows that no worker can run.
CREATE INDEX resources_queue ON resources (collection_id, seq) WHERE status = 1 AND work IS NOT NULL;

-- One sequence numbers both: a new row's seq (its insertion order) is the number of its first
-- write, so a batch allocates once. It starts above every existing seq; 'resources' is retired.
INSERT INTO sequences (name, next) SELECT 'changes', next FROM sequences WHERE name = 'resources';
DELETE FROM sequences WHERE name = 'resources';
