-- Injury green channel: incidents, cases, SLA clocks, timeline, documents,
-- calculations, dated parameters and the member projection.
-- The platform creates outbox, inbox, dead_letters and audit_log itself.

-- +goose Up
-- Case numbers: one sequence per year, created on first use. A sequence never
-- hands out a value twice, even when the drawing transaction rolls back, so
-- numbers are never reused; cases.number is unique besides.
-- +goose StatementBegin
CREATE FUNCTION next_case_number(y integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    seqname text := 'case_number_' || y::text;
    n bigint;
BEGIN
    IF y < 2000 OR y > 9999 THEN
        RAISE EXCEPTION 'case number year % out of range', y USING ERRCODE = '22023';
    END IF;
    BEGIN
        n := nextval(seqname::regclass);
    EXCEPTION WHEN undefined_table THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS bigint MINVALUE 1 NO CYCLE', seqname);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL; -- created concurrently by another opener
        END;
        n := nextval(seqname::regclass);
    END;
    RETURN 'GC-' || y::text || '-' || lpad(n::text, 6, '0');
END;
$$;
-- +goose StatementEnd

-- Members as enrollment announces them (member.* events), so a case can show
-- a name, unit and category without asking enrollment.
CREATE TABLE members (
    member_id     text PRIMARY KEY,
    name          text NOT NULL DEFAULT '',
    unit_id       text NOT NULL DEFAULT '',
    category      text NOT NULL DEFAULT '',
    event_version bigint NOT NULL DEFAULT 0, -- aggregate_version of the last event applied
    updated_at    timestamptz NOT NULL
);

-- One event in which one or more officers were hurt.
CREATE TABLE incidents (
    id          uuid PRIMARY KEY,
    unit_id     text NOT NULL,
    occurred_at timestamptz NOT NULL,
    place       text NOT NULL,
    description text NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0)
);

CREATE TABLE cases (
    id                  uuid PRIMARY KEY,
    number              text NOT NULL UNIQUE CHECK (number ~ '^GC-[0-9]{4}-[0-9]{6,}$'),
    incident_id         uuid NOT NULL REFERENCES incidents (id),
    member_id           text,
    unknown_name        text,
    unit_id             text NOT NULL,
    category            text NOT NULL DEFAULT '',
    reporter_user_id    text NOT NULL,
    reporter_member_id  text NOT NULL DEFAULT '',
    reporter_name       text NOT NULL DEFAULT '',
    injured_at          timestamptz NOT NULL,
    injury_date         date NOT NULL,
    place               text NOT NULL,
    description         text NOT NULL,
    hospital            text NOT NULL DEFAULT '',
    severity            text NOT NULL CHECK (severity IN ('critical', 'serious', 'minor')),
    state               text NOT NULL CHECK (state IN ('triage', 'treatment', 'determination_filing',
                            'determination_decided', 'disability_grading', 'closed')),
    opened_at           timestamptz NOT NULL,
    acknowledged_at     timestamptz,
    handoff_at          timestamptz,
    -- determination (工伤认定)
    filed_on            date,
    filer               text CHECK (filer IN ('unit', 'member')),
    documents_requested boolean NOT NULL DEFAULT false,
    documents_request_on date,
    accepted_on         date,
    clear_facts         boolean NOT NULL DEFAULT false,
    decision_paused     boolean NOT NULL DEFAULT false,
    pause_reason        text NOT NULL DEFAULT '',
    decided_on          date,
    outcome             text CHECK (outcome IN ('recognised', 'deemed', 'rejected')),
    clause              smallint,
    decision_reason     text NOT NULL DEFAULT '',
    -- disability grading (劳动能力鉴定)
    grading_applied_on  date,
    grading_extended    boolean NOT NULL DEFAULT false,
    graded_on           date,
    grade               smallint CHECK (grade BETWEEN 0 AND 10),
    nursing             text NOT NULL DEFAULT '' CHECK (nursing IN ('', 'none', 'partial', 'most', 'total')),
    -- injury leave (停工留薪期)
    leave_start         date,
    leave_end           date,
    leave_extended_months smallint NOT NULL DEFAULT 0 CHECK (leave_extended_months BETWEEN 0 AND 12),
    leave_ended_on      date,
    closed_at           timestamptz,
    close_reason        text CHECK (close_reason IN ('completed', 'rejected', 'withdrawn', 'duplicate')),
    -- coverage from enrollment, retried while pending
    coverage_status     text NOT NULL CHECK (coverage_status IN ('pending', 'checked', 'no_member', 'abandoned')),
    coverage            jsonb NOT NULL DEFAULT '[]',
    coverage_checked_at timestamptz,
    coverage_attempts   integer NOT NULL DEFAULT 0 CHECK (coverage_attempts >= 0),
    coverage_next_at    timestamptz,
    coverage_error      text NOT NULL DEFAULT '',
    version             bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at          timestamptz NOT NULL,

    CHECK ((member_id IS NULL) <> (unknown_name IS NULL)),
    CHECK (filed_on IS NULL OR filed_on >= injury_date),
    CHECK (accepted_on IS NULL OR (filed_on IS NOT NULL AND accepted_on >= filed_on)),
    CHECK (decided_on IS NULL OR (accepted_on IS NOT NULL AND decided_on >= accepted_on)),
    CHECK ((decided_on IS NULL) = (outcome IS NULL)),
    CHECK (outcome IS NULL OR clause BETWEEN 1 AND CASE outcome WHEN 'recognised' THEN 7 ELSE 3 END),
    CHECK (grading_applied_on IS NULL OR (outcome IN ('recognised', 'deemed') AND grading_applied_on >= decided_on)),
    CHECK (graded_on IS NULL OR graded_on >= grading_applied_on),
    CHECK ((graded_on IS NULL) = (grade IS NULL)),
    CHECK (leave_start IS NULL OR (leave_start >= injury_date AND leave_end >= leave_start
        AND leave_end < leave_start + make_interval(months => 12 + leave_extended_months))),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    CHECK ((closed_at IS NULL) = (close_reason IS NULL))
);
CREATE INDEX cases_unit_idx ON cases (unit_id, opened_at DESC);
CREATE INDEX cases_member_idx ON cases (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX cases_reporter_idx ON cases (reporter_user_id);
CREATE INDEX cases_incident_idx ON cases (incident_id);
CREATE INDEX cases_coverage_due_idx ON cases (coverage_next_at) WHERE coverage_status = 'pending';

-- Payment guarantees to hospitals: facts, appended only.
CREATE TABLE guarantees (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES cases (id),
    hospital   text NOT NULL,
    amount_fen bigint NOT NULL CHECK (amount_fen > 0),
    given_by   text NOT NULL,
    given_at   timestamptz NOT NULL
);
CREATE INDEX guarantees_case_idx ON guarantees (case_id);

-- SLA clocks. Deadlines live here so they survive restarts; the sweeper
-- claims due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE sla_clocks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id          uuid NOT NULL REFERENCES cases (id),
    kind             text NOT NULL CHECK (kind IN ('acknowledgement', 'handoff', 'unit_filing', 'member_filing',
                        'acceptance', 'decision', 'grading', 'police_grading', 'injury_leave')),
    started_at       timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    amber_at         timestamptz NOT NULL,
    committee_after  interval NOT NULL CHECK (committee_after > interval '0'),
    paused_at        timestamptz,
    stopped_at       timestamptz,
    outcome          text CHECK (outcome IN ('met', 'breached', 'cancelled')),
    level            smallint NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),
    next_fire_at     timestamptz,
    CHECK (amber_at <= due_at AND started_at <= due_at),
    CHECK ((stopped_at IS NULL) = (outcome IS NULL)),
    CHECK (stopped_at IS NULL OR paused_at IS NULL)
);
-- At most one active clock of a kind per case.
CREATE UNIQUE INDEX sla_clocks_active_idx ON sla_clocks (case_id, kind) WHERE stopped_at IS NULL;
CREATE INDEX sla_clocks_case_idx ON sla_clocks (case_id);
-- The sweeper's queue: only clocks that still have something to fire.
CREATE INDEX sla_clocks_due_idx ON sla_clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;

-- Timeline: every change, comment and document of a case. Append-only.
CREATE TABLE timeline (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    at          timestamptz NOT NULL,
    actor_id    text NOT NULL,
    actor_name  text NOT NULL DEFAULT '',
    kind        text NOT NULL CHECK (kind IN ('opened', 'action', 'comment', 'document', 'escalation', 'coverage', 'calculation')),
    action      text NOT NULL DEFAULT '',
    from_state  text NOT NULL DEFAULT '',
    to_state    text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_case_idx ON timeline (case_id, id);

CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    case_id      uuid NOT NULL REFERENCES cases (id),
    kind         text NOT NULL CHECK (kind IN ('medical_record', 'invoice', 'incident_report', 'decision', 'grading', 'photo', 'other')),
    file_name    text NOT NULL,
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 20971520),
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    content      bytea NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    CHECK (octet_length(content) = size_bytes)
);
CREATE INDEX documents_case_idx ON documents (case_id, uploaded_at);

-- Benefit calculations, each with its itemised explanation. Append-only: a
-- recalculation is a new row.
CREATE TABLE calculations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    inputs      jsonb NOT NULL,
    assessment  jsonb NOT NULL,
    computed_by text NOT NULL,
    computed_at timestamptz NOT NULL
);
CREATE INDEX calculations_case_idx ON calculations (case_id, id);

-- Dated parameters (regional average wage, minimum wage, national income),
-- maintained by admins with an audit row; a new value is a new row.
CREATE TABLE parameters (
    kind           text NOT NULL CHECK (kind IN ('regional_average_monthly_wage', 'minimum_monthly_wage', 'national_urban_income')),
    effective_from date NOT NULL,
    value_fen      bigint NOT NULL CHECK (value_fen > 0),
    set_by         text NOT NULL,
    set_at         timestamptz NOT NULL,
    PRIMARY KEY (kind, effective_from)
);

-- Facts are never edited or deleted.
-- +goose StatementBegin
CREATE FUNCTION injury_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline
    FOR EACH ROW EXECUTE FUNCTION injury_refuse_change();
CREATE TRIGGER guarantees_append_only BEFORE UPDATE OR DELETE ON guarantees
    FOR EACH ROW EXECUTE FUNCTION injury_refuse_change();
CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION injury_refuse_change();
CREATE TRIGGER calculations_append_only BEFORE UPDATE OR DELETE ON calculations
    FOR EACH ROW EXECUTE FUNCTION injury_refuse_change();
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION injury_refuse_change();

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT sequencename FROM pg_sequences
             WHERE schemaname = current_schema() AND sequencename LIKE 'case\_number\_%' LOOP
        EXECUTE format('DROP SEQUENCE %I', r.sequencename);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP TABLE parameters;
DROP TABLE calculations;
DROP TABLE documents;
DROP TABLE timeline;
DROP TABLE sla_clocks;
DROP TABLE guarantees;
DROP TABLE cases;
DROP TABLE incidents;
DROP TABLE members;
DROP FUNCTION injury_refuse_change();
DROP FUNCTION next_case_number(integer);
