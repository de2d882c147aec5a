-- Issue 12: the programme list pages by key (?limit&after -> {items, next})
-- in its order, by code and then id (a code repeats in each year's fund).
-- Funds (fiscal_year, unique), rates (kind, valid_from) and accounts (code)
-- page on their keys.

-- +goose Up
CREATE INDEX programs_code_keyset ON programs (code, id);

-- +goose Down
DROP INDEX programs_code_keyset;
