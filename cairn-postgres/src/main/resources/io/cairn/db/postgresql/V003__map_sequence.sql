-- Map entries take their insertion order from one sequence shared by all maps, starting above every
-- existing entry.
CREATE SEQUENCE cairn_seq_map_entries;
SELECT setval('cairn_seq_map_entries', COALESCE(MAX(seq), 0) + 1, false) FROM map_entries;
