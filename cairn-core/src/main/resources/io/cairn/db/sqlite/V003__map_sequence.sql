-- Map entries take their insertion order from one sequence shared by all maps, allocated like the
-- resources' (the dialect's nextSeqs), instead of MAX(seq) + 1 per map, which two concurrent
-- transactions of a server database would both read. It starts above every existing entry.
INSERT INTO sequences (name, next) SELECT 'map_entries', COALESCE(MAX(seq), 0) + 1 FROM map_entries;
