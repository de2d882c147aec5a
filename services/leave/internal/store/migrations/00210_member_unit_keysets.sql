-- Issue 12: a member's injury leave, a unit's balances and the health-check
-- compliance report page by key (?limit&after -> {items, next}) on indexes
-- in their order: injury leave by first day then case, a unit's members by
-- id, and the units that have members by id (the same index, read for its
-- distinct units).

-- +goose Up
CREATE INDEX injury_leaves_member_keyset ON injury_leaves (member_id, from_date, case_id);
CREATE INDEX members_unit_keyset ON members (unit_id, member_id);

-- +goose Down
DROP INDEX members_unit_keyset;
DROP INDEX injury_leaves_member_keyset;
