-- Issue 12: the dead-letter list pages by key (?limit&after -> {items,
-- next}), newest first by id. The whole list reads the primary key; the
-- pending one (the admin's default) reads this partial index, which holds
-- only the letters not yet replayed, so a long replayed past costs nothing.

-- +goose Up
CREATE INDEX dead_letters_pending ON dead_letters (id) WHERE replayed_at IS NULL;

-- +goose Down
DROP INDEX dead_letters_pending;
