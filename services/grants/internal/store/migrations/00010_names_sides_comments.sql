-- Issue 11, grants and finance:
-- * the member's name, from enrollment's member events, so an application
--   names the person who applies (the member, or the dependant) instead of
--   the account that typed it;
-- * who filed an application when that is someone else (a caseworker, or
--   the officer for a dependant), shown beside the applicant;
-- * each account's normal balance side: memo accounts have none by kind,
--   so 9101 (commitments made) is debit-normal and 9102 its credit contra.

-- +goose Up
ALTER TABLE members ADD COLUMN name text NOT NULL DEFAULT '' CHECK (length(name) <= 200);
ALTER TABLE applications ADD COLUMN filed_by_name text NOT NULL DEFAULT '' CHECK (length(filed_by_name) <= 200);
ALTER TABLE accounts ADD COLUMN normal_side text NOT NULL DEFAULT 'debit' CHECK (normal_side IN ('debit', 'credit'));
UPDATE accounts SET normal_side = 'credit' WHERE kind IN ('liability', 'net_assets', 'revenue', 'budget_revenue');
UPDATE accounts SET normal_side = 'credit' WHERE code = '9102';

-- +goose Down
ALTER TABLE accounts DROP COLUMN normal_side;
ALTER TABLE applications DROP COLUMN filed_by_name;
ALTER TABLE members DROP COLUMN name;
