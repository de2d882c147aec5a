-- Leave service schema: annual leave (calendar, ledger, requests), recuperation
-- stays and health checks. Unqualified names: the connection's search_path is
-- "leave,public". The platform creates outbox, inbox, dead_letters and
-- audit_log in this schema; they are not here.

-- +goose Up
-- Several schemas migrating at once (replicas, parallel tests) can race on
-- CREATE EXTENSION even with IF NOT EXISTS; a database-wide lock for the
-- rest of this transaction serializes them.
SELECT pg_advisory_xact_lock(hashtext('anxin:create-extension:btree_gist'));
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- Append-only guard shared by the fact tables: facts are corrected by new
-- rows (a reversal), never edited or deleted.
-- +goose StatementBegin
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

-- Local projection of the enrollment registry, fed by member.* events (the
-- platform's projection_versions table drops events older than the state).
-- The recuperation priority flags are the leave service's own.
CREATE TABLE members (
    member_id       text PRIMARY KEY,
    unit_id         text NOT NULL,
    category        text NOT NULL CHECK (category IN ('police', 'judicial_police', 'judge', 'prosecutor', 'civil_servant', 'auxiliary_police')),
    status          text NOT NULL CHECK (status IN ('active', 'inactive')),
    work_start      date,
    joined_on       date,
    left_on         date,
    frontline       boolean NOT NULL DEFAULT false,
    injured_on_duty boolean NOT NULL DEFAULT false,
    martyr_family   boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at      timestamptz NOT NULL,
    CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX members_unit_idx ON members (unit_id);

-- Work calendar per year, maintained by admins from the State Council notice.
CREATE TABLE work_calendars (
    year       integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- 'off': a day without work (statutory holiday); 'work': a weekend day made a
-- working day (调休). A day is one or the other (primary key on day).
CREATE TABLE work_calendar_days (
    day  date PRIMARY KEY,
    year integer NOT NULL REFERENCES work_calendars (year) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('off', 'work')),
    CHECK (extract(year FROM day) = year),
    CHECK (kind = 'off' OR extract(isodow FROM day) IN (6, 7))
);
CREATE INDEX work_calendar_days_year_idx ON work_calendar_days (year);

-- Absences that can cancel a year's leave (Regulation art. 4).
CREATE TABLE absences (
    member_id         text NOT NULL REFERENCES members (member_id),
    year              integer NOT NULL,
    personal_days     integer NOT NULL DEFAULT 0 CHECK (personal_days BETWEEN 0 AND 366),
    sick_days         integer NOT NULL DEFAULT 0 CHECK (sick_days BETWEEN 0 AND 366),
    leave_taken_first boolean NOT NULL DEFAULT false,
    version           bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by        text NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- The balance ledger. Every balance is the sum of these rows (domain
-- ComputeBalance); they are never updated or deleted. member_id has no
-- foreign key on purpose: entries are only ever appended for a member row
-- the writer holds locked, and the key check doubled the cost of the
-- year-end rollover's 200,000 inserts.
CREATE TABLE ledger_entries (
    id           bigserial PRIMARY KEY,
    member_id    text NOT NULL,
    year         integer NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('accrual', 'correction', 'taking', 'taking_reversal', 'adjustment', 'carry_over_out', 'carry_over_in', 'expiry')),
    days         integer NOT NULL CHECK (days <> 0 AND days BETWEEN -366 AND 366),
    effective_on date NOT NULL,
    reason       text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    request_id   uuid,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    CHECK (extract(year FROM effective_on) = year),
    CHECK (CASE
        WHEN kind IN ('accrual', 'taking_reversal', 'carry_over_in') THEN days > 0
        WHEN kind IN ('taking', 'carry_over_out', 'expiry') THEN days < 0
        ELSE true END),
    CHECK (kind NOT IN ('correction', 'adjustment', 'carry_over_out', 'carry_over_in') OR reason <> ''),
    CHECK ((kind IN ('taking', 'taking_reversal')) = (request_id IS NOT NULL))
);
CREATE INDEX ledger_entries_member_year_idx ON ledger_entries (member_id, year);
CREATE UNIQUE INDEX ledger_entries_one_expiry ON ledger_entries (member_id, year) WHERE kind = 'expiry';
CREATE UNIQUE INDEX ledger_entries_one_carry_out ON ledger_entries (member_id, year) WHERE kind = 'carry_over_out';
CREATE UNIQUE INDEX ledger_entries_one_taking ON ledger_entries (request_id) WHERE kind = 'taking';
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- One row per member and closed year: the rollover's idempotency key.
CREATE TABLE year_closings (
    member_id text NOT NULL,
    year      integer NOT NULL,
    carried   integer NOT NULL CHECK (carried >= 0),
    expired   integer NOT NULL CHECK (expired >= 0),
    closed_at timestamptz NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- Carry-over is allowed only with a recorded reason (Regulation art. 5).
CREATE TABLE carry_over_decisions (
    member_id  text NOT NULL REFERENCES members (member_id),
    year       integer NOT NULL,
    days       integer NOT NULL CHECK (days BETWEEN 1 AND 366),
    reason     text NOT NULL CHECK (reason <> '' AND char_length(reason) <= 500),
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    PRIMARY KEY (member_id, year)
);

-- The member chose in writing not to take leave: no extra compensation.
CREATE TABLE compensation_waivers (
    member_id   text NOT NULL REFERENCES members (member_id),
    year        integer NOT NULL,
    signed_on   date NOT NULL,
    note        text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- Wage basis of the compensation, a dated parameter finance records.
CREATE TABLE member_pay (
    member_id    text NOT NULL REFERENCES members (member_id),
    year         integer NOT NULL,
    annual_pay   bigint NOT NULL DEFAULT 0 CHECK (annual_pay >= 0),
    monthly_wage bigint NOT NULL DEFAULT 0 CHECK (monthly_wage >= 0),
    version      bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (member_id, year)
);

CREATE TABLE leave_requests (
    id            uuid PRIMARY KEY,
    member_id     text NOT NULL REFERENCES members (member_id),
    unit_id       text NOT NULL,
    from_date     date NOT NULL,
    to_date       date NOT NULL,
    days          integer NOT NULL CHECK (days BETWEEN 1 AND 366),
    restored_days integer NOT NULL DEFAULT 0,
    reason        text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    status        text NOT NULL CHECK (status IN ('pending', 'pending_second', 'approved', 'rejected', 'cancelled')),
    second_level  boolean NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    CHECK (from_date <= to_date),
    CHECK (extract(year FROM from_date) = extract(year FROM to_date)),
    CHECK (restored_days BETWEEN 0 AND days),
    -- No two live requests of a member share a day, whatever the concurrency.
    CONSTRAINT leave_requests_no_overlap EXCLUDE USING gist (
        member_id WITH =, daterange(from_date, to_date, '[]') WITH &&
    ) WHERE (status IN ('pending', 'pending_second', 'approved'))
);
CREATE INDEX leave_requests_unit_status_idx ON leave_requests (unit_id, status);
CREATE INDEX leave_requests_member_idx ON leave_requests (member_id, from_date);

CREATE TABLE leave_decisions (
    id         bigserial PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES leave_requests (id),
    level      integer NOT NULL CHECK (level BETWEEN 0 AND 2),
    actor      text NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('approved', 'rejected', 'cancelled')),
    comment    text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 500),
    decided_at timestamptz NOT NULL
);
CREATE INDEX leave_decisions_request_idx ON leave_decisions (request_id);
CREATE TRIGGER leave_decisions_append_only BEFORE UPDATE OR DELETE ON leave_decisions
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Paid injury leave (停工留薪期) from the injury service's case events; it
-- consumes no annual leave.
CREATE TABLE injury_leaves (
    case_id        text PRIMARY KEY,
    member_id      text NOT NULL REFERENCES members (member_id),
    from_date      date NOT NULL,
    to_date        date NOT NULL,
    extension_months integer NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 12),
    version        bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at     timestamptz NOT NULL,
    CHECK (from_date <= to_date),
    -- 12 months plus the extension (工伤保险条例 art. 33).
    CHECK (to_date < from_date + make_interval(months => 12 + extension_months))
);
CREATE INDEX injury_leaves_member_idx ON injury_leaves (member_id);

-- Which member an injury case concerns, from any case.* event that names
-- one (case.leave_changed may omit it).
CREATE TABLE injury_cases (
    case_id    text PRIMARY KEY,
    member_id  text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Recuperation stays (疗养).
CREATE TABLE facilities (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (name <> '' AND char_length(name) <= 200),
    location   text NOT NULL DEFAULT '' CHECK (char_length(location) <= 200),
    active     boolean NOT NULL DEFAULT true,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- booked counts confirmed places; the CHECK is what makes overbooking
-- impossible under any concurrency (an increment past capacity fails).
CREATE TABLE recuperation_sessions (
    id          uuid PRIMARY KEY,
    facility_id uuid NOT NULL REFERENCES facilities (id),
    from_date   date NOT NULL,
    to_date     date NOT NULL,
    capacity    integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    booked      integer NOT NULL DEFAULT 0,
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CHECK (from_date <= to_date),
    CHECK (booked BETWEEN 0 AND capacity)
);
CREATE INDEX recuperation_sessions_from_idx ON recuperation_sessions (from_date);

CREATE TABLE recuperation_quotas (
    year       integer NOT NULL,
    unit_id    text NOT NULL,
    places     integer NOT NULL CHECK (places BETWEEN 0 AND 10000),
    used       integer NOT NULL DEFAULT 0,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (year, unit_id),
    CHECK (used BETWEEN 0 AND places)
);

CREATE TABLE recuperation_bookings (
    id           uuid PRIMARY KEY,
    session_id   uuid NOT NULL REFERENCES recuperation_sessions (id),
    member_id    text NOT NULL REFERENCES members (member_id),
    unit_id      text NOT NULL,
    year         integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    wait_reason  text NOT NULL DEFAULT '',
    priority     integer NOT NULL DEFAULT 0,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    CHECK ((status = 'waitlisted') = (wait_reason <> ''))
);
CREATE UNIQUE INDEX recuperation_bookings_one_live ON recuperation_bookings (session_id, member_id) WHERE status <> 'cancelled';
CREATE INDEX recuperation_bookings_waitlist_idx ON recuperation_bookings (session_id, priority DESC, requested_at, id) WHERE status = 'waitlisted';
CREATE INDEX recuperation_bookings_member_idx ON recuperation_bookings (member_id);
CREATE INDEX recuperation_bookings_unit_idx ON recuperation_bookings (unit_id, year);

-- Health checks: one round per unit and year, slots with capacity, bookings.
CREATE TABLE health_check_rounds (
    id         uuid PRIMARY KEY,
    unit_id    text NOT NULL,
    year       integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    opens      date NOT NULL,
    closes     date NOT NULL,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (unit_id, year),
    CHECK (opens <= closes),
    CHECK (extract(year FROM opens) = year AND extract(year FROM closes) = year)
);

CREATE TABLE health_check_slots (
    id         uuid PRIMARY KEY,
    round_id   uuid NOT NULL REFERENCES health_check_rounds (id),
    starts_at  timestamptz NOT NULL,
    capacity   integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    booked     integer NOT NULL DEFAULT 0,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL,
    CHECK (booked BETWEEN 0 AND capacity)
);
CREATE INDEX health_check_slots_round_idx ON health_check_slots (round_id, starts_at);

-- result_sealed is the result summary sealed with pkg/sealed (AES-GCM); only
-- the member and the medical caseworker may open it, and every opening is audited.
CREATE TABLE health_check_bookings (
    id            uuid PRIMARY KEY,
    round_id      uuid NOT NULL REFERENCES health_check_rounds (id),
    slot_id       uuid NOT NULL REFERENCES health_check_slots (id),
    member_id     text NOT NULL REFERENCES members (member_id),
    unit_id       text NOT NULL,
    year          integer NOT NULL,
    status        text NOT NULL CHECK (status IN ('booked', 'completed', 'no_show', 'cancelled')),
    result_sealed bytea,
    completed_on  date,
    version       bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CHECK ((status = 'completed') = (result_sealed IS NOT NULL AND completed_on IS NOT NULL))
);
CREATE UNIQUE INDEX health_check_bookings_one_live ON health_check_bookings (round_id, member_id) WHERE status IN ('booked', 'completed');
CREATE INDEX health_check_bookings_member_idx ON health_check_bookings (member_id, year);
CREATE INDEX health_check_bookings_unit_idx ON health_check_bookings (unit_id, year);

-- One healthcheck.overdue reminder per member, year and day, whatever the
-- number of replicas running the reminder job.
CREATE TABLE health_check_reminders (
    member_id   text NOT NULL REFERENCES members (member_id),
    year        integer NOT NULL,
    reminded_on date NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (member_id, year, reminded_on)
);

-- +goose Down
DROP TABLE health_check_reminders;
DROP TABLE health_check_bookings;
DROP TABLE health_check_slots;
DROP TABLE health_check_rounds;
DROP TABLE recuperation_bookings;
DROP TABLE recuperation_quotas;
DROP TABLE recuperation_sessions;
DROP TABLE facilities;
DROP TABLE injury_cases;
DROP TABLE injury_leaves;
DROP TABLE leave_decisions;
DROP TABLE leave_requests;
DROP TABLE member_pay;
DROP TABLE compensation_waivers;
DROP TABLE carry_over_decisions;
DROP TABLE year_closings;
DROP TABLE ledger_entries;
DROP TABLE absences;
DROP TABLE work_calendar_days;
DROP TABLE work_calendars;
DROP TABLE members;
DROP FUNCTION forbid_change();
