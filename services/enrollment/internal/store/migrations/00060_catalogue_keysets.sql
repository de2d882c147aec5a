-- Issue 12: the unit and plan lists page by key (?limit&after ->
-- {units|plans, next}) on an index in their order: units from the root
-- down (depth, then code), plans newest year first (as -plan_year, so that
-- one row comparison serves the mixed order), then scheme, name and id.

-- +goose Up
CREATE INDEX units_list_keyset ON units ((cardinality(path)), code);
CREATE INDEX plans_list_keyset ON plans ((-plan_year), scheme, name, id);

-- +goose Down
DROP INDEX plans_list_keyset;
DROP INDEX units_list_keyset;
