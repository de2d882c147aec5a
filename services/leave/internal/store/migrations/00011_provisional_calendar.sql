-- +goose Up
-- A request counted with the provisional calendar (weekends only) of a year
-- whose official calendar was not entered yet says so: its days stay as
-- counted, and the pages can tell why they may differ from the notice.
ALTER TABLE leave_requests ADD COLUMN provisional_calendar boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE leave_requests DROP COLUMN provisional_calendar;
