-- ERROR resources of a collection in key order, for listing failures by ident prefix
-- (keysByPrefix) at any size. Partial, so only a move into or out of ERROR writes it: the fetch
-- path (QUEUED, RUNNING, COMPLETED) never does. Prefix listings of other statuses use the primary
-- key (collection_id, key), whose BINARY collation is UTF-8 byte order.
CREATE INDEX resources_errors_by_key ON resources (collection_id, key) WHERE status = 4;
