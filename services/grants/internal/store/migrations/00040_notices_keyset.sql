-- The notice list pages by key (pkg/page): oldest first by (created_at, id)
-- within a state, so a page of any state (open, converted, dismissed) reads
-- the index, not the table. notices_open served the open state of one unit
-- only, and the other states had no index at all.

-- +goose Up
CREATE INDEX notices_state_keyset ON notices (state, created_at, id);

-- +goose Down
DROP INDEX notices_state_keyset;
