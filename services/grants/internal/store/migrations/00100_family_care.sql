-- Family care (关爱, issue 18): the families of martyrs and of officers who
-- died in the line of duty, officers disabled on duty and hardship families;
-- their liaisons, the visit plan and visits, and their support matters.
-- Visits, their photos and the matters' timelines are facts: never changed.

-- +goose Up
CREATE TABLE care_records (
    id              uuid        PRIMARY KEY,
    member_id       text        NOT NULL CHECK (member_id <> ''),
    unit_id         text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('martyr', 'line_of_duty', 'disabled_on_duty', 'hardship')),
    subject_name    text        NOT NULL DEFAULT '',
    died_on         date,
    grade           int         CHECK (grade BETWEEN 1 AND 10),
    persons         jsonb       NOT NULL DEFAULT '[]',
    opened_by       text        NOT NULL CHECK (opened_by <> ''),
    source_event_id uuid,
    version         bigint      NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- one record per member and reason: a redelivered event opens nothing twice
    UNIQUE (member_id, kind)
);
CREATE INDEX care_records_keyset ON care_records (created_at, id);
CREATE INDEX care_records_unit ON care_records (unit_id, created_at, id);

CREATE TABLE care_liaisons (
    record_id   uuid        NOT NULL REFERENCES care_records (id),
    role        text        NOT NULL CHECK (role IN ('leader', 'caseworker')),
    user_id     text        NOT NULL CHECK (user_id <> ''),
    name        text        NOT NULL CHECK (name <> ''),
    phone       text        NOT NULL CHECK (phone <> ''),
    assigned_by text        NOT NULL,
    assigned_at timestamptz NOT NULL,
    PRIMARY KEY (record_id, role)
);
CREATE INDEX care_liaisons_user ON care_liaisons (user_id, record_id);

-- The admins' visit rule: which occasions are planned and the window a
-- visit is due in around each.
CREATE TABLE care_visit_rules (
    occasion    text        PRIMARY KEY CHECK (occasion IN ('spring_festival', 'qingming', 'anniversary')),
    enabled     boolean     NOT NULL,
    days_before int         NOT NULL CHECK (days_before BETWEEN 0 AND 90),
    days_after  int         NOT NULL CHECK (days_after BETWEEN 0 AND 60),
    version     bigint      NOT NULL DEFAULT 1,
    updated_by  text        NOT NULL DEFAULT 'migration',
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- 春节前一个月内走访、元宵节前完成; 清明前后; 牺牲纪念日前后一周.
INSERT INTO care_visit_rules (occasion, enabled, days_before, days_after) VALUES
    ('spring_festival', true, 30, 14), ('qingming', true, 7, 3), ('anniversary', true, 7, 7);

-- The Gregorian dates of the lunar festivals, kept by admins; seeded from
-- the Chinese calendar for 2024-2030.
CREATE TABLE care_festival_dates (
    year       int         NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    occasion   text        NOT NULL CHECK (occasion IN ('spring_festival', 'qingming')),
    date       date        NOT NULL CHECK (extract(year FROM date) = year),
    updated_by text        NOT NULL DEFAULT 'migration',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, occasion)
);
INSERT INTO care_festival_dates (year, occasion, date) VALUES
    (2024, 'spring_festival', '2024-02-10'), (2024, 'qingming', '2024-04-04'),
    (2025, 'spring_festival', '2025-01-29'), (2025, 'qingming', '2025-04-04'),
    (2026, 'spring_festival', '2026-02-17'), (2026, 'qingming', '2026-04-05'),
    (2027, 'spring_festival', '2027-02-06'), (2027, 'qingming', '2027-04-05'),
    (2028, 'spring_festival', '2028-01-26'), (2028, 'qingming', '2028-04-04'),
    (2029, 'spring_festival', '2029-02-13'), (2029, 'qingming', '2029-04-04'),
    (2030, 'spring_festival', '2030-02-03'), (2030, 'qingming', '2030-04-05');

CREATE TABLE care_visits (
    id            uuid        PRIMARY KEY,
    record_id     uuid        NOT NULL REFERENCES care_records (id),
    occasion      text        NOT NULL CHECK (occasion IN ('spring_festival', 'qingming', 'anniversary', 'other')),
    year          int         NOT NULL,
    visited_on    date        NOT NULL,
    visitors      text[]      NOT NULL CHECK (cardinality(visitors) BETWEEN 1 AND 10),
    given         jsonb       NOT NULL DEFAULT '[]',
    total         bigint      NOT NULL CHECK (total >= 0),
    family_raised text        NOT NULL DEFAULT '',
    notes         text        NOT NULL DEFAULT '',
    recorded_by   text        NOT NULL CHECK (recorded_by <> ''),
    recorded_name text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);
CREATE INDEX care_visits_record ON care_visits (record_id, visited_on);
CREATE TRIGGER care_visits_immutable BEFORE UPDATE OR DELETE ON care_visits
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE care_visit_photos (
    id           uuid        PRIMARY KEY,
    visit_id     uuid        NOT NULL REFERENCES care_visits (id),
    file_name    text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    content_type text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes   bigint      NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256       bytea       NOT NULL CHECK (octet_length(sha256) = 32),
    content      bytea       NOT NULL,
    uploaded_by  text        NOT NULL CHECK (uploaded_by <> ''),
    uploaded_at  timestamptz NOT NULL,
    CHECK (octet_length(content) = size_bytes)
);
CREATE INDEX care_visit_photos_visit ON care_visit_photos (visit_id, uploaded_at);
CREATE TRIGGER care_visit_photos_immutable BEFORE UPDATE OR DELETE ON care_visit_photos
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE care_matters (
    id              uuid        PRIMARY KEY,
    record_id       uuid        NOT NULL REFERENCES care_records (id),
    person_id       text        NOT NULL DEFAULT '',
    kind            text        NOT NULL CHECK (kind IN ('schooling', 'employment', 'medical', 'housing', 'legal', 'other')),
    topic           text        NOT NULL DEFAULT '',
    summary         text        NOT NULL CHECK (summary <> ''),
    handler_user_id text        NOT NULL DEFAULT '',
    handler_name    text        NOT NULL DEFAULT '',
    due_on          date,
    state           text        NOT NULL CHECK (state IN ('open', 'in_progress', 'resolved')),
    outcome         text        NOT NULL DEFAULT '',
    application_id  uuid        REFERENCES applications (id),
    raised_by       text        NOT NULL,
    version         bigint      NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    resolved_at     timestamptz,
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL AND outcome <> ''))
);
CREATE INDEX care_matters_record ON care_matters (record_id, created_at);
CREATE UNIQUE INDEX care_matters_application ON care_matters (application_id) WHERE application_id IS NOT NULL;

CREATE TABLE care_matter_steps (
    matter_id  uuid        NOT NULL REFERENCES care_matters (id),
    seq        int         NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('raised', 'assigned', 'note', 'application', 'resolved')),
    actor      text        NOT NULL,
    actor_name text        NOT NULL DEFAULT '',
    text       text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL,
    PRIMARY KEY (matter_id, seq)
);
CREATE TRIGGER care_matter_steps_immutable BEFORE UPDATE OR DELETE ON care_matter_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE care_matter_steps;
DROP TABLE care_matters;
DROP TABLE care_visit_photos;
DROP TABLE care_visits;
DROP TABLE care_festival_dates;
DROP TABLE care_visit_rules;
DROP TABLE care_liaisons;
DROP TABLE care_records;
