-- Reporting read models of the committee's work overview (工作概览, issue 17).
--
-- As in injury and grants, triggers keep them in the transaction that
-- changes the facts, whatever code path changes them (a request approved,
-- the year-end rollover, a pay import, a booking, a member event), and
-- leave_reports_rebuild() recomputes them. The overview reads units ×
-- years rows: report_leave_year, report_health_year, report_unit_members
-- and recuperation_quotas (already one counter row per unit and year).
--
-- Leave per unit and year: days entitled (accruals, corrections,
-- adjustments, carried in), days taken (takings less reversals), unused
-- (entitled less taken, per member, never below 0) and the extra 200% the
-- unused days will cost (domain.Compensate: per member, rounded once to
-- the fen; nothing for a member who waived; members without a wage
-- counted apart). The per-member figure is computed exactly from the
-- member's ledger, pay and waiver when one of them changes, and only the
-- difference is added to the unit's row: report_leave_member is that
-- bookkeeping, never read by a report.

-- +goose Up
CREATE TABLE report_leave_member (
    member_id text    NOT NULL,
    year      integer NOT NULL,
    unit_id   text    NOT NULL,
    entitled  integer NOT NULL,
    taken     integer NOT NULL,
    unused    integer NOT NULL,
    extra_fen bigint,            -- NULL: no wage recorded for the year
    PRIMARY KEY (member_id, year)
);

CREATE TABLE report_leave_year (
    unit_id     text    NOT NULL,
    year        integer NOT NULL,
    members     integer NOT NULL DEFAULT 0,
    entitled    integer NOT NULL DEFAULT 0,
    taken       integer NOT NULL DEFAULT 0,
    unused      integer NOT NULL DEFAULT 0,
    extra_fen   bigint  NOT NULL DEFAULT 0,
    missing_pay integer NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year)
);
CREATE INDEX report_leave_year_year_idx ON report_leave_year (year);

-- The annual-leave uptake the committee aims at, per year, in basis points
-- of the days entitled (8000 = 80%). Set on the overview page, audited.
CREATE TABLE leave_uptake_targets (
    year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2999),
    basis_points integer NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    version      bigint  NOT NULL DEFAULT 1 CHECK (version > 0),
    set_by       text    NOT NULL,
    set_at       timestamptz NOT NULL
);

-- Health checks per unit and year: bookings made and checks completed.
CREATE TABLE report_health_year (
    unit_id   text    NOT NULL,
    year      integer NOT NULL,
    booked    integer NOT NULL DEFAULT 0 CHECK (booked >= 0),
    completed integer NOT NULL DEFAULT 0 CHECK (completed >= 0),
    PRIMARY KEY (unit_id, year)
);
CREATE INDEX report_health_year_year_idx ON report_health_year (year);

-- Active members per unit now: whom a health check is due for.
CREATE TABLE report_unit_members (
    unit_id text    PRIMARY KEY,
    active  integer NOT NULL DEFAULT 0 CHECK (active >= 0)
);

-- Members' years, recomputed from the facts, set-based (the year-end
-- rollover appends a row for every member in one statement), and their
-- differences added to the units' rows. Two transactions refreshing the
-- same member's year (a ledger entry and a wage, say) take turns on an
-- advisory lock, in a fixed order; the second statement's fresh snapshot
-- then reads the other's committed figures as "old". (old is read without
-- FOR UPDATE: the statement itself rewrites those rows, and a locking read
-- would skip them.)
-- +goose StatementBegin
CREATE FUNCTION report_leave_refresh(ms text[], ys integer[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('report_leave:' || member_id || '/' || year, 0))
      FROM (SELECT DISTINCT member_id, year FROM unnest(ms, ys) AS u(member_id, year) ORDER BY 1, 2) p;
    WITH p AS (SELECT DISTINCT member_id, year FROM unnest(ms, ys) AS u(member_id, year)),
    old AS (SELECT r.* FROM report_leave_member r JOIN p USING (member_id, year)),
    n AS (
        SELECT p.member_id, p.year, coalesce(m.unit_id, '') AS unit_id, l.ent, l.tak, greatest(l.ent - l.tak, 0) AS unu,
               m.category, pay.annual_pay, pay.monthly_wage, w.member_id IS NOT NULL AS waived
          FROM p
          LEFT JOIN members m ON m.member_id = p.member_id
          CROSS JOIN LATERAL (
              SELECT coalesce(sum(e.days) FILTER (WHERE e.kind IN ('accrual', 'correction', 'adjustment', 'carry_over_in')), 0)::integer AS ent,
                     coalesce(-sum(e.days) FILTER (WHERE e.kind IN ('taking', 'taking_reversal')), 0)::integer AS tak
                FROM ledger_entries e WHERE e.member_id = p.member_id AND e.year = p.year) l
          LEFT JOIN member_pay pay ON pay.member_id = p.member_id AND pay.year = p.year
          LEFT JOIN compensation_waivers w ON w.member_id = p.member_id AND w.year = p.year),
    -- the 200%, rounded half away from zero once (domain.Compensate)
    n2 AS (
        SELECT n.*, CASE
                 WHEN n.category = 'auxiliary_police' AND coalesce(n.monthly_wage, 0) > 0
                     THEN CASE WHEN n.waived THEN 0 ELSE round(n.monthly_wage::numeric * 2 * 4 * n.unu / 87)::bigint END
                 WHEN n.category IS DISTINCT FROM 'auxiliary_police' AND coalesce(n.annual_pay, 0) > 0
                     THEN CASE WHEN n.waived THEN 0 ELSE round(n.annual_pay::numeric * 2 * n.unu / 261)::bigint END
               END AS extra
          FROM n),
    delta AS (
        SELECT unit_id, year, sum(dm)::integer AS dm, sum(de)::integer AS de, sum(dt)::integer AS dt, sum(du)::integer AS du,
               sum(dx)::bigint AS dx, sum(dp)::integer AS dp
          FROM (SELECT unit_id, year, -1 AS dm, -entitled AS de, -taken AS dt, -unused AS du, -coalesce(extra_fen, 0) AS dx,
                       -((extra_fen IS NULL AND unused > 0)::integer) AS dp FROM old
                UNION ALL
                SELECT unit_id, year, 1, ent, tak, unu, coalesce(extra, 0), (extra IS NULL AND unu > 0)::integer FROM n2) d
         GROUP BY 1, 2),
    units AS (
        INSERT INTO report_leave_year AS r (unit_id, year, members, entitled, taken, unused, extra_fen, missing_pay)
        SELECT unit_id, year, dm, de, dt, du, dx, dp FROM delta
        ON CONFLICT (unit_id, year) DO UPDATE SET members = r.members + EXCLUDED.members, entitled = r.entitled + EXCLUDED.entitled,
            taken = r.taken + EXCLUDED.taken, unused = r.unused + EXCLUDED.unused, extra_fen = r.extra_fen + EXCLUDED.extra_fen,
            missing_pay = r.missing_pay + EXCLUDED.missing_pay)
    INSERT INTO report_leave_member AS r (member_id, year, unit_id, entitled, taken, unused, extra_fen)
    SELECT member_id, year, unit_id, ent, tak, unu, extra FROM n2
    ON CONFLICT (member_id, year) DO UPDATE SET unit_id = EXCLUDED.unit_id, entitled = EXCLUDED.entitled,
        taken = EXCLUDED.taken, unused = EXCLUDED.unused, extra_fen = EXCLUDED.extra_fen
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_leave_entries_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_leave_refresh(array_agg(member_id), array_agg(year)) FROM added;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_entries_report AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION report_leave_entries_added();

-- +goose StatementBegin
CREATE FUNCTION report_leave_fact_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM report_leave_refresh(ARRAY[OLD.member_id], ARRAY[OLD.year]);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM report_leave_refresh(ARRAY[NEW.member_id], ARRAY[NEW.year]);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER member_pay_report AFTER INSERT OR UPDATE OF annual_pay, monthly_wage OR DELETE ON member_pay
    FOR EACH ROW EXECUTE FUNCTION report_leave_fact_change();
CREATE TRIGGER compensation_waivers_report AFTER INSERT OR DELETE ON compensation_waivers
    FOR EACH ROW EXECUTE FUNCTION report_leave_fact_change();

-- +goose StatementBegin
CREATE FUNCTION report_member_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'active' THEN
        UPDATE report_unit_members SET active = active - 1 WHERE unit_id = OLD.unit_id;
    END IF;
    IF NEW.status = 'active' THEN
        INSERT INTO report_unit_members AS r (unit_id, active) VALUES (NEW.unit_id, 1)
        ON CONFLICT (unit_id) DO UPDATE SET active = r.active + 1;
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.unit_id, OLD.category) IS DISTINCT FROM (NEW.unit_id, NEW.category) THEN
        PERFORM report_leave_refresh(array_agg(member_id), array_agg(year))
           FROM report_leave_member WHERE member_id = NEW.member_id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER members_report AFTER INSERT OR UPDATE OF status, unit_id, category ON members
    FOR EACH ROW EXECUTE FUNCTION report_member_change();

-- +goose StatementBegin
CREATE FUNCTION report_health_booking() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.status, OLD.unit_id, OLD.year) IS NOT DISTINCT FROM (NEW.status, NEW.unit_id, NEW.year) THEN
            RETURN NULL;
        END IF;
        UPDATE report_health_year SET booked = booked - (OLD.status = 'booked')::integer,
               completed = completed - (OLD.status = 'completed')::integer
         WHERE unit_id = OLD.unit_id AND year = OLD.year;
    END IF;
    INSERT INTO report_health_year AS r (unit_id, year, booked, completed)
    VALUES (NEW.unit_id, NEW.year, (NEW.status = 'booked')::integer, (NEW.status = 'completed')::integer)
    ON CONFLICT (unit_id, year) DO UPDATE SET booked = r.booked + EXCLUDED.booked, completed = r.completed + EXCLUDED.completed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER health_check_bookings_report AFTER INSERT OR UPDATE OF status, unit_id, year ON health_check_bookings
    FOR EACH ROW EXECUTE FUNCTION report_health_booking();

-- Recomputes every reporting table from the facts; writers wait meanwhile.
-- +goose StatementBegin
CREATE FUNCTION leave_reports_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE members, ledger_entries, member_pay, compensation_waivers, health_check_bookings IN SHARE MODE;
    DELETE FROM report_leave_member;
    DELETE FROM report_leave_year;
    DELETE FROM report_health_year;
    DELETE FROM report_unit_members;
    PERFORM report_leave_refresh(array_agg(member_id), array_agg(year)) FROM (
        SELECT member_id, year FROM ledger_entries
        UNION SELECT member_id, year FROM member_pay
        UNION SELECT member_id, year FROM compensation_waivers) p;
    INSERT INTO report_health_year (unit_id, year, booked, completed)
    SELECT unit_id, year, count(*) FILTER (WHERE status = 'booked'), count(*) FILTER (WHERE status = 'completed')
      FROM health_check_bookings GROUP BY 1, 2;
    INSERT INTO report_unit_members (unit_id, active)
    SELECT unit_id, count(*) FROM members WHERE status = 'active' GROUP BY 1;
END;
$$;
-- +goose StatementEnd

SELECT leave_reports_rebuild();

-- +goose Down
DROP TRIGGER health_check_bookings_report ON health_check_bookings;
DROP TRIGGER members_report ON members;
DROP TRIGGER compensation_waivers_report ON compensation_waivers;
DROP TRIGGER member_pay_report ON member_pay;
DROP TRIGGER ledger_entries_report ON ledger_entries;
DROP FUNCTION leave_reports_rebuild();
DROP FUNCTION report_health_booking();
DROP FUNCTION report_member_change();
DROP FUNCTION report_leave_fact_change();
DROP FUNCTION report_leave_entries_added();
DROP FUNCTION report_leave_refresh(text[], integer[]);
DROP TABLE report_unit_members;
DROP TABLE report_health_year;
DROP TABLE leave_uptake_targets;
DROP TABLE report_leave_year;
DROP TABLE report_leave_member;
