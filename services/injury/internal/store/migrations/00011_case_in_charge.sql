-- The caseworker in charge of a case: who took it (acknowledged it or
-- confirmed the hand-off first) and the phone they gave, so the injured
-- officer knows whom to call when the case is late or escalated.

-- +goose Up
ALTER TABLE cases
    ADD COLUMN in_charge_user_id text NOT NULL DEFAULT '',
    ADD COLUMN in_charge_name    text NOT NULL DEFAULT '',
    ADD COLUMN in_charge_phone   text NOT NULL DEFAULT '' CHECK (in_charge_phone ~ '^[0-9+ -]{0,20}$');

-- Cases already taken: whoever acknowledged them or confirmed the hand-off
-- first, from the timeline (no phone was asked for then).
UPDATE cases c SET in_charge_user_id = t.actor_id, in_charge_name = t.actor_name
FROM (SELECT DISTINCT ON (case_id) case_id, actor_id, actor_name FROM timeline
      WHERE kind = 'action' AND action IN ('acknowledge', 'confirm_handoff') ORDER BY case_id, id) t
WHERE t.case_id = c.id;

-- +goose Down
ALTER TABLE cases DROP COLUMN in_charge_phone, DROP COLUMN in_charge_name, DROP COLUMN in_charge_user_id;
