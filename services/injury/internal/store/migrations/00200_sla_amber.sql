-- The amber notice (issue 16): the sweeper tells the people of a case when
-- one of its clocks turns amber, once per amber point. amber_warned is the
-- amber point (a value of amber_at) the sweeper has dealt with: told of, or
-- passed over because the deadline had gone first. A deadline that moves
-- moves amber_at away from it, so the new point is told of once more.
-- next_fire_at stays the sweeper's one queue (sla_clocks_due_idx): it now
-- holds the amber point while that is still to be dealt with.

-- +goose Up
ALTER TABLE sla_clocks ADD COLUMN amber_warned timestamptz;

-- A breached clock's amber point is behind it: the escalation told of it.
UPDATE sla_clocks SET amber_warned = amber_at
WHERE stopped_at IS NULL AND level > 0;

-- Running clocks not yet breached look at their amber point first, so a
-- clock amber today is told of at the next sweep: nobody was told before.
UPDATE sla_clocks SET next_fire_at = amber_at
WHERE stopped_at IS NULL AND paused_at IS NULL AND level = 0 AND kind <> 'appeal'
  AND amber_at < due_at AND next_fire_at > amber_at;

-- +goose Down
UPDATE sla_clocks SET next_fire_at = CASE level WHEN 0 THEN due_at WHEN 1 THEN due_at + committee_after END
WHERE stopped_at IS NULL AND paused_at IS NULL;
ALTER TABLE sla_clocks DROP COLUMN amber_warned;
