-- Issue 12: a member's enrollments page by key (?limit&after ->
-- {enrollments, next}), oldest first by first day then id, on an index in
-- that order. A member's versions page on the primary key (member_id,
-- version) and need none.

-- +goose Up
CREATE INDEX enrollments_member_keyset ON enrollments (member_id, (lower(period)), id);

-- +goose Down
DROP INDEX enrollments_member_keyset;
