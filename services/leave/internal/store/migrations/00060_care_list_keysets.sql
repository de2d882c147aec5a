-- Issue 12: the care lists page by key (?limit&after -> {items, next}),
-- each on an index in its own order, so a page costs its size, not the
-- table's: health-check bookings in the order they were made (overall and
-- per round), recuperation bookings in waiting-list order within a stay
-- (priority descending, as -priority so one row comparison serves it),
-- stays by start, slots by time, facilities by name. Quotas and rounds
-- page by unit on their primary and unique keys.

-- +goose Up
CREATE INDEX health_check_bookings_created_keyset ON health_check_bookings (created_at, id);
CREATE INDEX health_check_bookings_round_keyset ON health_check_bookings (round_id, created_at, id);
CREATE INDEX recuperation_bookings_keyset ON recuperation_bookings (session_id, (-priority), requested_at, id);
CREATE INDEX recuperation_sessions_from_keyset ON recuperation_sessions (from_date, id);
DROP INDEX recuperation_sessions_from_idx;
CREATE INDEX health_check_slots_round_keyset ON health_check_slots (round_id, starts_at, id);
DROP INDEX health_check_slots_round_idx;
CREATE INDEX facilities_name_keyset ON facilities (name, id);

-- +goose Down
DROP INDEX facilities_name_keyset;
CREATE INDEX health_check_slots_round_idx ON health_check_slots (round_id, starts_at);
DROP INDEX health_check_slots_round_keyset;
CREATE INDEX recuperation_sessions_from_idx ON recuperation_sessions (from_date);
DROP INDEX recuperation_sessions_from_keyset;
DROP INDEX recuperation_bookings_keyset;
DROP INDEX health_check_bookings_round_keyset;
DROP INDEX health_check_bookings_created_keyset;
