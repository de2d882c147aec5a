-- The reporting refresh took one advisory lock per member and year, held
-- to the end of the transaction: the year-end rollover (every member in one
-- statement) or a province's seed needs about 100,000 of them, past
-- PostgreSQL's lock table ("out of shared memory"), and while it holds them
-- every other session is starved of locks. The same turn-taking now runs on
-- at most 1,024 buckets of (member, year), still taken in a fixed order, so
-- two refreshes of one member's year still take turns; two of different
-- members in one bucket wait for each other, which costs a wait, never a
-- wrong figure.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_leave_refresh(ms text[], ys integer[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(hashtext('report_leave'), b)
      FROM (SELECT DISTINCT hashtext(member_id || '/' || year) & 1023 AS b
              FROM unnest(ms, ys) AS u(member_id, year) ORDER BY 1) p;
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_leave_refresh(ms text[], ys integer[]) RETURNS void
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
