-- +goose Up
-- The name of who decided, as their identity token gave it at the time, so
-- a printed approval slip names the approvers (the service knows users by
-- id only). Earlier decisions keep an empty name; the slip leaves the box
-- for a hand-written one.
ALTER TABLE leave_decisions ADD COLUMN actor_name text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE leave_decisions DROP COLUMN actor_name;
