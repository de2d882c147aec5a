-- Reporting read models of the committee's work overview (工作概览, issue 17).
--
-- The overview reads these tables, about units × months rows, never the
-- cases, clocks or timeline themselves. Triggers keep them up to date in
-- the transaction that changes the facts, whichever code path makes the
-- change (a step, the SLA sweeper, the batch opener, a seed): a figure can
-- never disagree with the facts it counts, not even for the time a
-- projection would lag, and no Go write path had to learn about reports.
-- injury_reports_rebuild() recomputes every table from the facts (the
-- backfill below, and after a bulk load with triggers disabled).
--
-- Months are counted in Asia/Shanghai. A case counts in the month it was
-- opened; its durations (to acknowledgement, hand-off, determination) in
-- the month it was opened too, so a month's cohort is followed to the end.
-- A clock counts in the month it stopped, an escalation in the month it
-- fired.
--
-- Durations are kept as they are, per unit and month, in arrays: the
-- median and p90 are then exact (percentile_disc over the unnested arrays
-- of the units × months asked for), not a histogram's bucket bound, and
-- can be checked against the cases themselves. A county opens tens of
-- cases a month per unit, so an array stays a few hundred bytes.

-- +goose Up
CREATE TABLE report_cases_month (
    unit_id  text    NOT NULL,
    month    date    NOT NULL CHECK (extract(day FROM month) = 1),
    severity text    NOT NULL,
    opened   integer NOT NULL DEFAULT 0 CHECK (opened >= 0),
    PRIMARY KEY (unit_id, month, severity)
);
CREATE INDEX report_cases_month_month_idx ON report_cases_month (month);

CREATE TABLE report_durations_month (
    unit_id            text      NOT NULL,
    month              date      NOT NULL CHECK (extract(day FROM month) = 1),
    ack_seconds        integer[] NOT NULL DEFAULT '{}',
    handoff_seconds    integer[] NOT NULL DEFAULT '{}',
    determination_days integer[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (unit_id, month)
);
CREATE INDEX report_durations_month_month_idx ON report_durations_month (month);

-- Clocks that stopped, met or breached (cancelled and lapsed ones are
-- neither), by the month they stopped.
CREATE TABLE report_sla_month (
    unit_id  text    NOT NULL,
    month    date    NOT NULL CHECK (extract(day FROM month) = 1),
    kind     text    NOT NULL,
    met      integer NOT NULL DEFAULT 0 CHECK (met >= 0),
    breached integer NOT NULL DEFAULT 0 CHECK (breached >= 0),
    PRIMARY KEY (unit_id, month, kind)
);
CREATE INDEX report_sla_month_month_idx ON report_sla_month (month);

-- Escalations by the level they reached (unit head, committee).
CREATE TABLE report_escalations_month (
    unit_id     text    NOT NULL,
    month       date    NOT NULL CHECK (extract(day FROM month) = 1),
    level       text    NOT NULL,
    escalations integer NOT NULL DEFAULT 0 CHECK (escalations >= 0),
    PRIMARY KEY (unit_id, month, level)
);
CREATE INDEX report_escalations_month_month_idx ON report_escalations_month (month);

-- Open cases now, by stage (the case's state): a snapshot, not a history.
CREATE TABLE report_open_stage (
    unit_id text    NOT NULL,
    state   text    NOT NULL,
    cases   integer NOT NULL DEFAULT 0 CHECK (cases >= 0),
    PRIMARY KEY (unit_id, state)
);

-- +goose StatementBegin
CREATE FUNCTION report_month(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_trunc('month', t AT TIME ZONE 'Asia/Shanghai')::date
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_cases_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    m date := report_month(NEW.opened_at);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO report_cases_month AS r (unit_id, month, severity, opened) VALUES (NEW.unit_id, m, NEW.severity, 1)
        ON CONFLICT (unit_id, month, severity) DO UPDATE SET opened = r.opened + 1;
        INSERT INTO report_durations_month (unit_id, month) VALUES (NEW.unit_id, m) ON CONFLICT DO NOTHING;
    ELSIF (OLD.unit_id, OLD.severity, OLD.opened_at) IS DISTINCT FROM (NEW.unit_id, NEW.severity, NEW.opened_at) THEN
        -- triage may reclassify the severity: the case moves column
        UPDATE report_cases_month SET opened = opened - 1
         WHERE unit_id = OLD.unit_id AND month = report_month(OLD.opened_at) AND severity = OLD.severity;
        INSERT INTO report_cases_month AS r (unit_id, month, severity, opened) VALUES (NEW.unit_id, m, NEW.severity, 1)
        ON CONFLICT (unit_id, month, severity) DO UPDATE SET opened = r.opened + 1;
        INSERT INTO report_durations_month (unit_id, month) VALUES (NEW.unit_id, m) ON CONFLICT DO NOTHING;
    END IF;

    IF NEW.acknowledged_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.acknowledged_at IS NULL) THEN
        UPDATE report_durations_month SET ack_seconds = ack_seconds || greatest(0, extract(epoch FROM NEW.acknowledged_at - NEW.opened_at))::integer
         WHERE unit_id = NEW.unit_id AND month = m;
    END IF;
    IF NEW.handoff_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.handoff_at IS NULL) THEN
        UPDATE report_durations_month SET handoff_seconds = handoff_seconds || greatest(0, extract(epoch FROM NEW.handoff_at - NEW.opened_at))::integer
         WHERE unit_id = NEW.unit_id AND month = m;
    END IF;
    IF NEW.decided_on IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.decided_on IS NULL) THEN
        UPDATE report_durations_month SET determination_days = determination_days || greatest(0, NEW.decided_on - NEW.injury_date)
         WHERE unit_id = NEW.unit_id AND month = m;
    END IF;

    IF TG_OP = 'UPDATE' AND (OLD.unit_id, OLD.state) IS NOT DISTINCT FROM (NEW.unit_id, NEW.state) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.state <> 'closed' THEN
        UPDATE report_open_stage SET cases = cases - 1 WHERE unit_id = OLD.unit_id AND state = OLD.state;
    END IF;
    IF NEW.state <> 'closed' THEN
        INSERT INTO report_open_stage AS r (unit_id, state, cases) VALUES (NEW.unit_id, NEW.state, 1)
        ON CONFLICT (unit_id, state) DO UPDATE SET cases = r.cases + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_report AFTER INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION report_cases_change();

-- +goose StatementBegin
CREATE FUNCTION report_clock_stopped() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.outcome IN ('met', 'breached') AND (TG_OP = 'INSERT' OR OLD.outcome IS NULL) THEN
        INSERT INTO report_sla_month AS r (unit_id, month, kind, met, breached)
        SELECT c.unit_id, report_month(NEW.stopped_at), NEW.kind,
               (NEW.outcome = 'met')::integer, (NEW.outcome = 'breached')::integer
          FROM cases c WHERE c.id = NEW.case_id
        ON CONFLICT (unit_id, month, kind) DO UPDATE
            SET met = r.met + EXCLUDED.met, breached = r.breached + EXCLUDED.breached;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER sla_clocks_report AFTER INSERT OR UPDATE OF outcome ON sla_clocks
    FOR EACH ROW EXECUTE FUNCTION report_clock_stopped();

-- +goose StatementBegin
CREATE FUNCTION report_escalation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_escalations_month AS r (unit_id, month, level, escalations)
    SELECT c.unit_id, report_month(NEW.at), NEW.action, 1 FROM cases c WHERE c.id = NEW.case_id
    ON CONFLICT (unit_id, month, level) DO UPDATE SET escalations = r.escalations + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER timeline_report AFTER INSERT ON timeline
    FOR EACH ROW WHEN (NEW.kind = 'escalation') EXECUTE FUNCTION report_escalation();

-- Recomputes every reporting table from the facts. Writers wait while it
-- runs (SHARE locks), so no change can fall between the wipe and the sums.
-- +goose StatementBegin
CREATE FUNCTION injury_reports_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE cases, sla_clocks, timeline IN SHARE MODE;
    DELETE FROM report_cases_month;
    DELETE FROM report_durations_month;
    DELETE FROM report_sla_month;
    DELETE FROM report_escalations_month;
    DELETE FROM report_open_stage;

    INSERT INTO report_cases_month (unit_id, month, severity, opened)
    SELECT unit_id, report_month(opened_at), severity, count(*) FROM cases GROUP BY 1, 2, 3;

    INSERT INTO report_durations_month (unit_id, month, ack_seconds, handoff_seconds, determination_days)
    SELECT unit_id, report_month(opened_at),
           coalesce(array_agg(greatest(0, extract(epoch FROM acknowledged_at - opened_at))::integer ORDER BY id)
                    FILTER (WHERE acknowledged_at IS NOT NULL), '{}'),
           coalesce(array_agg(greatest(0, extract(epoch FROM handoff_at - opened_at))::integer ORDER BY id)
                    FILTER (WHERE handoff_at IS NOT NULL), '{}'),
           coalesce(array_agg(greatest(0, decided_on - injury_date) ORDER BY id)
                    FILTER (WHERE decided_on IS NOT NULL), '{}')
      FROM cases GROUP BY 1, 2;

    INSERT INTO report_sla_month (unit_id, month, kind, met, breached)
    SELECT c.unit_id, report_month(k.stopped_at), k.kind,
           count(*) FILTER (WHERE k.outcome = 'met'), count(*) FILTER (WHERE k.outcome = 'breached')
      FROM sla_clocks k JOIN cases c ON c.id = k.case_id
     WHERE k.outcome IN ('met', 'breached')
     GROUP BY 1, 2, 3;

    INSERT INTO report_escalations_month (unit_id, month, level, escalations)
    SELECT c.unit_id, report_month(t.at), t.action, count(*)
      FROM timeline t JOIN cases c ON c.id = t.case_id
     WHERE t.kind = 'escalation'
     GROUP BY 1, 2, 3;

    INSERT INTO report_open_stage (unit_id, state, cases)
    SELECT unit_id, state, count(*) FROM cases WHERE state <> 'closed' GROUP BY 1, 2;
END;
$$;
-- +goose StatementEnd

SELECT injury_reports_rebuild();

-- +goose Down
DROP TRIGGER timeline_report ON timeline;
DROP TRIGGER sla_clocks_report ON sla_clocks;
DROP TRIGGER cases_report ON cases;
DROP FUNCTION injury_reports_rebuild();
DROP FUNCTION report_escalation();
DROP FUNCTION report_clock_stopped();
DROP FUNCTION report_cases_change();
DROP FUNCTION report_month(timestamptz);
DROP TABLE report_open_stage;
DROP TABLE report_escalations_month;
DROP TABLE report_sla_month;
DROP TABLE report_durations_month;
DROP TABLE report_cases_month;
