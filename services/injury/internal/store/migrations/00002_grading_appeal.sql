-- Grading rounds: the appeal to the provincial committee within 15 days of a
-- municipal conclusion (再次鉴定, 工伤保险条例 art. 26) and the re-grading a
-- year after the last conclusion (复查鉴定 art. 28; police 调整残疾等级).
-- The case keeps the round under way or last concluded and the conclusion in
-- force; earlier conclusions stay in the timeline. The appeal window is an
-- SLA clock of its own that lapses, instead of escalating, when unused.

-- +goose Up
ALTER TABLE cases
    ADD COLUMN grading_round      text NOT NULL DEFAULT 'initial' CHECK (grading_round IN ('initial', 'appeal', 'review')),
    ADD COLUMN grading_pending    boolean NOT NULL DEFAULT false,
    ADD COLUMN graded_received_on date,
    ADD COLUMN previous_grade     smallint CHECK (previous_grade BETWEEN 0 AND 10),
    ADD COLUMN appealed_on        date,
    ADD COLUMN appeal_note        text NOT NULL DEFAULT '';

-- A grading applied for and not yet concluded is pending; a conclusion
-- already recorded reached the applicant the day it was made.
UPDATE cases SET grading_pending = true WHERE grading_applied_on IS NOT NULL AND graded_on IS NULL;
UPDATE cases SET graded_received_on = graded_on WHERE graded_on IS NOT NULL;

-- cases_check7 was CHECK (graded_on IS NULL OR graded_on >= grading_applied_on):
-- during an appeal or a review the conclusion in force predates the new
-- application.
ALTER TABLE cases DROP CONSTRAINT cases_check7;
ALTER TABLE cases
    ADD CONSTRAINT cases_graded_after_application CHECK (graded_on IS NULL OR grading_pending OR graded_on >= grading_applied_on),
    ADD CONSTRAINT cases_pending_applied CHECK (NOT grading_pending OR grading_applied_on IS NOT NULL),
    ADD CONSTRAINT cases_received_after_graded CHECK ((graded_on IS NULL) = (graded_received_on IS NULL) AND graded_received_on >= graded_on);

ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_kind_check;
ALTER TABLE sla_clocks ADD CONSTRAINT sla_clocks_kind_check CHECK (kind IN ('acknowledgement', 'handoff', 'unit_filing',
    'member_filing', 'acceptance', 'decision', 'grading', 'police_grading', 'injury_leave', 'appeal'));
ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_outcome_check;
ALTER TABLE sla_clocks ADD CONSTRAINT sla_clocks_outcome_check CHECK (outcome IN ('met', 'breached', 'cancelled', 'lapsed'));

-- A window that passed unused is a timeline line of its own.
ALTER TABLE timeline DROP CONSTRAINT timeline_kind_check;
ALTER TABLE timeline ADD CONSTRAINT timeline_kind_check CHECK (kind IN ('opened', 'action', 'comment', 'document',
    'escalation', 'coverage', 'calculation', 'lapse'));

-- +goose Down
ALTER TABLE timeline DROP CONSTRAINT timeline_kind_check;
ALTER TABLE timeline ADD CONSTRAINT timeline_kind_check CHECK (kind IN ('opened', 'action', 'comment', 'document',
    'escalation', 'coverage', 'calculation'));
ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_outcome_check;
ALTER TABLE sla_clocks ADD CONSTRAINT sla_clocks_outcome_check CHECK (outcome IN ('met', 'breached', 'cancelled'));
ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_kind_check;
ALTER TABLE sla_clocks ADD CONSTRAINT sla_clocks_kind_check CHECK (kind IN ('acknowledgement', 'handoff', 'unit_filing',
    'member_filing', 'acceptance', 'decision', 'grading', 'police_grading', 'injury_leave'));
ALTER TABLE cases
    DROP CONSTRAINT cases_received_after_graded,
    DROP CONSTRAINT cases_pending_applied,
    DROP CONSTRAINT cases_graded_after_application;
ALTER TABLE cases ADD CONSTRAINT cases_check7 CHECK (graded_on IS NULL OR graded_on >= grading_applied_on);
ALTER TABLE cases
    DROP COLUMN appeal_note,
    DROP COLUMN appealed_on,
    DROP COLUMN previous_grade,
    DROP COLUMN graded_received_on,
    DROP COLUMN grading_pending,
    DROP COLUMN grading_round;
