-- Members' names, from the name in enrollment's member.* events, so lists and
-- the compensation report can show who a member id is. Members projected
-- before this change keep '' until their next member.* event.

-- +goose Up
ALTER TABLE members ADD COLUMN name text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE members DROP COLUMN name;
