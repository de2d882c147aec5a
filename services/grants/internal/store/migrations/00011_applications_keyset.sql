-- Lists of applications page by key (pkg/page): newest first by
-- (created_at, id), so a page reads the index, not the table.

-- +goose Up
CREATE INDEX applications_created_keyset ON applications (created_at DESC, id DESC);

-- +goose Down
DROP INDEX applications_created_keyset;
