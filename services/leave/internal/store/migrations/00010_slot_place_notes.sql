-- +goose Up
-- Where a health-check slot takes place and how to prepare (fasting, what
-- to bring), set by the caseworker with the slot and shown to officers.
ALTER TABLE health_check_slots
    ADD COLUMN place text NOT NULL DEFAULT '' CHECK (char_length(place) <= 200),
    ADD COLUMN notes text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 1000);

-- +goose Down
ALTER TABLE health_check_slots DROP COLUMN notes, DROP COLUMN place;
