-- The queue's one clock: each open case carries the running clock that is
-- due first (its kind, deadline and amber point), so the badge and the due
-- date shown beside it come from the same clock, and the queue can be
-- sorted and paged by deadline, severity or opening through indexes
-- instead of sorting the whole table.

-- +goose Up
ALTER TABLE cases
    ADD COLUMN due_clock    text,
    ADD COLUMN due_at       timestamptz,
    ADD COLUMN due_amber_at timestamptz,
    -- the sort key: a case with no running clock sorts after every deadline
    ADD COLUMN queue_due    timestamptz GENERATED ALWAYS AS (coalesce(due_at, '9999-12-31 00:00:00+00')) STORED,
    ADD COLUMN severity_rank smallint GENERATED ALWAYS AS (CASE severity WHEN 'critical' THEN 0 WHEN 'serious' THEN 1 ELSE 2 END) STORED,
    ADD CONSTRAINT cases_due_clock_whole CHECK ((due_clock IS NULL) = (due_at IS NULL) AND (due_at IS NULL) = (due_amber_at IS NULL));

UPDATE cases c SET (due_clock, due_at, due_amber_at) = (
    SELECT k.kind, k.due_at, k.amber_at FROM sla_clocks k
    WHERE k.case_id = c.id AND k.stopped_at IS NULL AND k.paused_at IS NULL
    ORDER BY k.due_at, k.id LIMIT 1);

-- The open queue (待办) by deadline and by severity; every list by opening.
CREATE INDEX cases_queue_due_idx ON cases (queue_due, id) WHERE state <> 'closed';
CREATE INDEX cases_queue_severity_idx ON cases (severity_rank, queue_due, id) WHERE state <> 'closed';
CREATE INDEX cases_opened_idx ON cases (opened_at DESC, id DESC);

-- +goose Down
DROP INDEX cases_opened_idx;
DROP INDEX cases_queue_severity_idx;
DROP INDEX cases_queue_due_idx;
ALTER TABLE cases DROP CONSTRAINT cases_due_clock_whole,
    DROP COLUMN severity_rank, DROP COLUMN queue_due, DROP COLUMN due_amber_at, DROP COLUMN due_at, DROP COLUMN due_clock;
