-- The 2026 work calendar from the State Council's holiday arrangements
-- (国务院办公厅关于2026年部分节假日安排的通知, as in
-- /work/shared/data/reference.json), so leave can be counted from the first
-- start. Admins maintain this and later years through PUT /calendars/{year};
-- a year they have already set up is left alone.

-- +goose Up
INSERT INTO work_calendars (year, version, updated_by, updated_at)
VALUES (2026, 1, 'seed', now())
ON CONFLICT (year) DO NOTHING;

INSERT INTO work_calendar_days (day, year, kind)
SELECT day::date, year, kind FROM (VALUES
    ('2026-01-01', 2026, 'off'),
    ('2026-01-02', 2026, 'off'),
    ('2026-01-03', 2026, 'off'),
    ('2026-02-15', 2026, 'off'),
    ('2026-02-16', 2026, 'off'),
    ('2026-02-17', 2026, 'off'),
    ('2026-02-18', 2026, 'off'),
    ('2026-02-19', 2026, 'off'),
    ('2026-02-20', 2026, 'off'),
    ('2026-02-21', 2026, 'off'),
    ('2026-02-22', 2026, 'off'),
    ('2026-02-23', 2026, 'off'),
    ('2026-04-04', 2026, 'off'),
    ('2026-04-05', 2026, 'off'),
    ('2026-04-06', 2026, 'off'),
    ('2026-05-01', 2026, 'off'),
    ('2026-05-02', 2026, 'off'),
    ('2026-05-03', 2026, 'off'),
    ('2026-05-04', 2026, 'off'),
    ('2026-05-05', 2026, 'off'),
    ('2026-06-19', 2026, 'off'),
    ('2026-06-20', 2026, 'off'),
    ('2026-06-21', 2026, 'off'),
    ('2026-09-25', 2026, 'off'),
    ('2026-09-26', 2026, 'off'),
    ('2026-09-27', 2026, 'off'),
    ('2026-10-01', 2026, 'off'),
    ('2026-10-02', 2026, 'off'),
    ('2026-10-03', 2026, 'off'),
    ('2026-10-04', 2026, 'off'),
    ('2026-10-05', 2026, 'off'),
    ('2026-10-06', 2026, 'off'),
    ('2026-10-07', 2026, 'off'),
    ('2026-01-04', 2026, 'work'),
    ('2026-02-14', 2026, 'work'),
    ('2026-02-28', 2026, 'work'),
    ('2026-05-09', 2026, 'work'),
    ('2026-09-20', 2026, 'work'),
    ('2026-10-10', 2026, 'work')
) AS seed (day, year, kind)
WHERE NOT EXISTS (SELECT 1 FROM work_calendar_days WHERE year = 2026)
ON CONFLICT (day) DO NOTHING;

-- +goose Down
-- The calendar may have been edited since; the seed is not taken back.
SELECT 1;
