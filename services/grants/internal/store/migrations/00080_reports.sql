-- Reporting read models of the committee's work overview (工作概览, issue 17).
--
-- As in injury, triggers keep them in the transaction that changes the
-- facts, whatever code path changes them (a workflow step, the recurring
-- run, a reversal, a seed), and grants_reports_rebuild() recomputes them
-- from the facts. The overview reads these and the funds and programmes
-- rows (one per fiscal year, one per programme: already counters), never
-- the applications, ledger or disbursements.
--
-- Months are counted in Asia/Shanghai, from the times the service's clock
-- wrote (updated_at, disbursed_at), never the database's now().

-- +goose Up
-- When an application entered its current state, so that a waiting one
-- can be counted by how long it has waited at its step.
ALTER TABLE applications ADD COLUMN state_since timestamptz;
UPDATE applications SET state_since = updated_at;
ALTER TABLE applications ALTER COLUMN state_since SET NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION applications_state_since() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.state IS DISTINCT FROM OLD.state THEN
        NEW.state_since := NEW.updated_at;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_state_since BEFORE INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_state_since();

-- Changes to a fund's committed and disbursed totals, by month: summed up
-- to a month they are the fund's position at its end.
CREATE TABLE report_fund_month (
    fund_id   uuid   NOT NULL REFERENCES funds (id),
    month     date   NOT NULL CHECK (extract(day FROM month) = 1),
    committed bigint NOT NULL DEFAULT 0,
    disbursed bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (fund_id, month)
);

-- Grants paid, by the unit of the application and the month paid.
CREATE TABLE report_disbursements_month (
    unit_id  text    NOT NULL,
    month    date    NOT NULL CHECK (extract(day FROM month) = 1),
    payments integer NOT NULL DEFAULT 0 CHECK (payments >= 0),
    amount   bigint  NOT NULL DEFAULT 0 CHECK (amount >= 0),
    PRIMARY KEY (unit_id, month)
);
CREATE INDEX report_disbursements_month_month_idx ON report_disbursements_month (month);

-- Applications waiting at a step (submitted: review; reviewed: committee
-- approval; approved: disbursement), by unit and the day they got there.
CREATE TABLE report_waiting (
    unit_id      text    NOT NULL,
    state        text    NOT NULL,
    since        date    NOT NULL,
    applications integer NOT NULL DEFAULT 0 CHECK (applications >= 0),
    PRIMARY KEY (unit_id, state, since)
);
CREATE INDEX report_waiting_open_idx ON report_waiting (state, since) WHERE applications > 0;

-- +goose StatementBegin
CREATE FUNCTION report_month(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_trunc('month', t AT TIME ZONE 'Asia/Shanghai')::date
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION report_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (t AT TIME ZONE 'Asia/Shanghai')::date
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_fund_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.committed, NEW.disbursed) IS DISTINCT FROM (OLD.committed, OLD.disbursed) THEN
        INSERT INTO report_fund_month AS r (fund_id, month, committed, disbursed)
        VALUES (NEW.id, report_month(NEW.updated_at), NEW.committed - OLD.committed, NEW.disbursed - OLD.disbursed)
        ON CONFLICT (fund_id, month) DO UPDATE
            SET committed = r.committed + EXCLUDED.committed, disbursed = r.disbursed + EXCLUDED.disbursed;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER funds_report AFTER UPDATE OF committed, disbursed ON funds
    FOR EACH ROW EXECUTE FUNCTION report_fund_change();

-- +goose StatementBegin
CREATE FUNCTION report_disbursement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_disbursements_month AS r (unit_id, month, payments, amount)
    SELECT a.unit_id, report_month(NEW.disbursed_at), 1, NEW.amount FROM applications a WHERE a.id = NEW.application_id
    ON CONFLICT (unit_id, month) DO UPDATE SET payments = r.payments + 1, amount = r.amount + EXCLUDED.amount;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER disbursements_report AFTER INSERT ON disbursements
    FOR EACH ROW EXECUTE FUNCTION report_disbursement();

-- +goose StatementBegin
CREATE FUNCTION report_application_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.state, OLD.unit_id, OLD.state_since) IS NOT DISTINCT FROM (NEW.state, NEW.unit_id, NEW.state_since) THEN
            RETURN NULL;
        END IF;
        IF OLD.state IN ('submitted', 'reviewed', 'approved') THEN
            UPDATE report_waiting SET applications = applications - 1
             WHERE unit_id = OLD.unit_id AND state = OLD.state AND since = report_day(OLD.state_since);
        END IF;
    END IF;
    IF NEW.state IN ('submitted', 'reviewed', 'approved') THEN
        INSERT INTO report_waiting AS r (unit_id, state, since, applications)
        VALUES (NEW.unit_id, NEW.state, report_day(NEW.state_since), 1)
        ON CONFLICT (unit_id, state, since) DO UPDATE SET applications = r.applications + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_report AFTER INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION report_application_change();

-- Recomputes every reporting table from the facts; writers wait meanwhile.
-- A fund's history before the triggers is dated from the facts at hand: a
-- payment by when it was paid, a commitment by when its application
-- reached its current state; the fund's last month takes what is left
-- (releases), so the running totals always end at the fund row's.
-- +goose StatementBegin
CREATE FUNCTION grants_reports_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE funds, applications, disbursements, journal_entries IN SHARE MODE;
    DELETE FROM report_fund_month;
    DELETE FROM report_disbursements_month;
    DELETE FROM report_waiting;

    -- committed: what approvals committed less what was released, month by
    -- month, so that the running sum ends at the fund's committed; the
    -- same for disbursed. The last month of a fund carries any remainder
    -- so the totals always agree with the fund row.
    INSERT INTO report_fund_month (fund_id, month, committed, disbursed)
    SELECT d.fund_id, report_month(d.disbursed_at), 0, sum(d.amount)
      FROM disbursements d GROUP BY 1, 2;
    INSERT INTO report_fund_month AS r (fund_id, month, committed, disbursed)
    SELECT a.fund_id, report_month(a.state_since), sum(a.committed_amount), 0
      FROM applications a WHERE a.committed_amount > 0 GROUP BY 1, 2
    ON CONFLICT (fund_id, month) DO UPDATE SET committed = r.committed + EXCLUDED.committed;
    INSERT INTO report_fund_month AS r (fund_id, month, committed, disbursed)
    SELECT f.id, coalesce((SELECT max(month) FROM report_fund_month x WHERE x.fund_id = f.id), report_month(f.updated_at)),
           f.committed - coalesce((SELECT sum(committed) FROM report_fund_month x WHERE x.fund_id = f.id), 0),
           f.disbursed - coalesce((SELECT sum(disbursed) FROM report_fund_month x WHERE x.fund_id = f.id), 0)
      FROM funds f
    ON CONFLICT (fund_id, month) DO UPDATE
        SET committed = r.committed + EXCLUDED.committed, disbursed = r.disbursed + EXCLUDED.disbursed;

    INSERT INTO report_disbursements_month (unit_id, month, payments, amount)
    SELECT a.unit_id, report_month(d.disbursed_at), count(*), sum(d.amount)
      FROM disbursements d JOIN applications a ON a.id = d.application_id GROUP BY 1, 2;

    INSERT INTO report_waiting (unit_id, state, since, applications)
    SELECT unit_id, state, report_day(state_since), count(*)
      FROM applications WHERE state IN ('submitted', 'reviewed', 'approved') GROUP BY 1, 2, 3;
END;
$$;
-- +goose StatementEnd

SELECT grants_reports_rebuild();

-- +goose Down
DROP TRIGGER applications_report ON applications;
DROP TRIGGER disbursements_report ON disbursements;
DROP TRIGGER funds_report ON funds;
DROP TRIGGER applications_state_since ON applications;
DROP FUNCTION grants_reports_rebuild();
DROP FUNCTION report_application_change();
DROP FUNCTION report_disbursement();
DROP FUNCTION report_fund_change();
DROP FUNCTION applications_state_since();
DROP FUNCTION report_day(timestamptz);
DROP FUNCTION report_month(timestamptz);
DROP TABLE report_waiting;
DROP TABLE report_disbursements_month;
DROP TABLE report_fund_month;
ALTER TABLE applications DROP COLUMN state_since;
