-- +goose Up
-- The request list is newest first (ORDER BY created_at DESC, id) with a
-- LIMIT; without an index in that order every list sorted all the requests
-- in view (an approver's or admin's: the whole table) to return one page.
CREATE INDEX leave_requests_created_idx ON leave_requests (created_at DESC, id);

-- +goose Down
DROP INDEX leave_requests_created_idx;
