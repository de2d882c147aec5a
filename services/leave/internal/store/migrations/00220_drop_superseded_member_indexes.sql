-- 00210's keyset indexes lead with the columns of two older indexes, which
-- they serve as well: members (unit_id, member_id) every lookup of a unit's
-- members, injury_leaves (member_id, from_date, case_id) every lookup of a
-- member's injury leave. Kept, the older ones only cost every projected
-- member and every injury-leave write a second index entry (00060 dropped
-- its superseded indexes the same way).

-- +goose Up
DROP INDEX members_unit_idx;
DROP INDEX injury_leaves_member_idx;

-- +goose Down
CREATE INDEX injury_leaves_member_idx ON injury_leaves (member_id);
CREATE INDEX members_unit_idx ON members (unit_id);
