-- +goose Up
-- The coverage query (members LEFT JOIN enrollments ON member_id = $1 AND
-- period @> $2) found no index it could use: the exclusion constraint's gist
-- index is partial (covered_from < upper(period)), so every case opened by
-- the injury service scanned the whole table. A btree on member_id serves
-- the join (a member has a handful of enrollments; the range test filters
-- those) and the foreign key's lookups from members.
CREATE INDEX enrollments_member ON enrollments (member_id, plan_year);

-- The member list's search by name is a prefix (name LIKE '王%'). Under
-- any collation but C a plain btree cannot serve LIKE, so members_name
-- left it a sequential scan of the registry; text_pattern_ops compares
-- byte-wise and can.
CREATE INDEX members_name_prefix ON members (name text_pattern_ops);

-- +goose Down
DROP INDEX members_name_prefix;
DROP INDEX enrollments_member;
