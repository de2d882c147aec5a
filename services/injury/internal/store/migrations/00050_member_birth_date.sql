-- The member's date of birth, from enrollment's member events, so that an
-- injury cannot be reported as happening before the injured was born
-- (issue 19). NULL until the next event of an already projected member.

-- +goose Up
ALTER TABLE members ADD COLUMN birth_date date;

-- +goose Down
ALTER TABLE members DROP COLUMN birth_date;
