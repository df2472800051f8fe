-- The durable queue and the change cursor (see the SQLite script of the same version).
ALTER TABLE resources ADD COLUMN work TEXT;
ALTER TABLE resources ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

UPDATE resources SET change_seq = seq;

CREATE INDEX resources_by_change ON resources (change_seq);

CREATE INDEX resources_queue ON resources (collection_id, seq) WHERE status = 1 AND work IS NOT NULL;

-- One sequence numbers both a row's writes and a new row's insertion order: it keeps counting
-- where the resources' one stopped.
ALTER SEQUENCE cairn_seq_resources RENAME TO cairn_seq_changes;

-- Allocates n consecutive numbers of a sequence and returns the first. Sequences alone give one
-- number per call, so the allocation takes a short session lock (released here, never held to
-- commit). With fence, the transaction also keeps a shared advisory lock keyed by its first number
-- until it ends: cairn_change_horizon reads these to hold the change cursor below every write in
-- flight (sequence numbers are not commit-ordered).
CREATE FUNCTION cairn_next_seqs(seq REGCLASS, n INTEGER, fence BOOLEAN) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  first BIGINT;
BEGIN
  PERFORM pg_advisory_lock(1128352082, 1);
  BEGIN
    first := nextval(seq);
    IF n > 1 THEN
      PERFORM setval(seq, first + n - 1);
    END IF;
    IF fence THEN
      PERFORM pg_advisory_xact_lock_shared(first);
    END IF;
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(1128352082, 1);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(1128352082, 1);
  RETURN first;
END
$$;

-- The largest change number below which every change is final: not above the last number handed
-- out, and below the first number of every transaction still holding its fence. Read under the
-- allocation lock, so no number is between being handed out and being fenced.
CREATE FUNCTION cairn_change_horizon() RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  handed BIGINT;
  oldest BIGINT;
BEGIN
  PERFORM pg_advisory_lock(1128352082, 1);
  BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO handed
      FROM cairn_seq_changes;
    SELECT MIN((l.classid::BIGINT << 32) | l.objid::BIGINT) INTO oldest
      FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(1128352082, 1);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(1128352082, 1);
  RETURN LEAST(handed, COALESCE(oldest - 1, handed));
END
$$;
