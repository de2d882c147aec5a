-- +goose Up
-- The member registry and insurance enrollment (services/enrollment).
-- Tables are unqualified: the connection's search_path is enrollment,public.
-- The platform creates outbox, inbox, dead_letters and audit_log itself.

-- Exclusion constraints mixing = on uuid/text with && on a daterange need
-- btree_gist. It lives in public so every service's schema can use it.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- +goose StatementBegin
-- Facts are never edited or deleted: version history and enrollment events
-- refuse both, whoever asks.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on %.% is not allowed: rows are append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
-- +goose StatementEnd

-- Units (单位): the county committee, courts, procuratorate, police bureau
-- and its stations, justice bureau. path holds the ids from the root down to
-- the unit itself so "units below mine" is one array overlap.
CREATE TABLE units (
    id         uuid        PRIMARY KEY,
    code       text        NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
    parent_id  uuid        REFERENCES units (id),
    path       uuid[]      NOT NULL,
    name       text        NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 100),
    kind       text        NOT NULL CHECK (kind IN ('committee', 'court', 'procuratorate', 'police_bureau',
                                                    'police_station', 'justice_bureau', 'other')),
    version    bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (cardinality(path) >= 1 AND path[cardinality(path)] = id),
    CHECK ((parent_id IS NULL) = (cardinality(path) = 1))
);
CREATE INDEX units_path ON units USING gin (path);

-- Members. The identity number is stored sealed (AES-GCM), with an HMAC
-- blind index for uniqueness and lookups and the masked form for lists; the
-- plain number never reaches the database.
CREATE TABLE members (
    id               uuid        PRIMARY KEY,
    unit_id          uuid        NOT NULL REFERENCES units (id),
    name             text        NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 50),
    category         text        NOT NULL CHECK (category IN ('police', 'judicial_police', 'judge', 'prosecutor',
                                                              'civil_servant', 'auxiliary_police')),
    frontline        boolean     NOT NULL DEFAULT false,
    aux_duty         text        CHECK (aux_duty IN ('duty', 'civilian')),
    high_risk        boolean     NOT NULL DEFAULT false,
    id_number_sealed bytea       NOT NULL,
    id_number_index  text        NOT NULL UNIQUE,
    id_number_masked text        NOT NULL CHECK (char_length(id_number_masked) = 18),
    birth_date       date        NOT NULL,
    sex              text        NOT NULL CHECK (sex IN ('M', 'F')),
    phone            text        NOT NULL DEFAULT '',
    hire_date        date        NOT NULL,
    service_start    date        NOT NULL,
    status           text        NOT NULL DEFAULT 'active'
                                 CHECK (status IN ('active', 'retired', 'left', 'deceased')),
    status_date      date,
    death_cause      text        CHECK (death_cause IN ('line_of_duty', 'martyr', 'illness', 'other')),
    version          bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- 勤务/文职 and high-risk describe auxiliary police posts only.
    CHECK ((category = 'auxiliary_police') = (aux_duty IS NOT NULL)),
    CHECK (category = 'auxiliary_police' OR NOT high_risk),
    -- A cause of death exactly when deceased; a date for every non-active status.
    CHECK ((status = 'deceased') = (death_cause IS NOT NULL)),
    CHECK (status = 'active' OR status_date IS NOT NULL),
    CHECK (service_start <= hire_date),
    CHECK (hire_date >= birth_date + interval '16 years'),
    CHECK (status_date IS NULL OR status_date >= hire_date)
);
CREATE INDEX members_unit ON members (unit_id, status);
CREATE INDEX members_name ON members (name);

CREATE TABLE member_honours (
    member_id  uuid NOT NULL REFERENCES members (id),
    kind       text NOT NULL CHECK (kind IN ('national_title', 'provincial_title', 'merit_first',
                                             'merit_second', 'merit_third')),
    awarded_on date NOT NULL,
    PRIMARY KEY (member_id, kind, awarded_on)
);

CREATE TABLE dependants (
    id               uuid PRIMARY KEY,
    member_id        uuid NOT NULL REFERENCES members (id),
    relation         text NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'sibling')),
    name             text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 50),
    id_number_sealed bytea NOT NULL,
    id_number_index  text NOT NULL,
    id_number_masked text NOT NULL CHECK (char_length(id_number_masked) = 18),
    birth_date       date NOT NULL,
    sex              text NOT NULL CHECK (sex IN ('M', 'F')),
    phone            text NOT NULL DEFAULT '',
    UNIQUE (member_id, id_number_index)
);
-- One spouse at a time.
CREATE UNIQUE INDEX dependants_one_spouse ON dependants (member_id) WHERE relation = 'spouse';
-- The grants service finds a family by a dependant's number.
CREATE INDEX dependants_id_number ON dependants (id_number_index);

-- Named beneficiaries per scheme; shares in hundredths of a percent.
CREATE TABLE beneficiaries (
    member_id        uuid    NOT NULL REFERENCES members (id),
    scheme           text    NOT NULL CHECK (scheme IN ('work_injury', 'personal_accident', 'critical_illness',
                                                        'supplementary_medical')),
    position         integer NOT NULL CHECK (position >= 0),
    name             text    NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 50),
    relation         text    NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'sibling', 'other')),
    id_number_sealed bytea,
    id_number_index  text,
    id_number_masked text,
    share_bp         integer NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    PRIMARY KEY (member_id, scheme, position),
    CHECK ((id_number_sealed IS NULL) = (id_number_index IS NULL)
       AND (id_number_index IS NULL) = (id_number_masked IS NULL))
);

-- +goose StatementBegin
-- The shares of one member's designation for one scheme total exactly 100 %
-- (10000 hundredths), checked at commit so a designation can be replaced
-- row by row inside one transaction.
CREATE FUNCTION check_beneficiary_shares() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m uuid;
    s text;
    total bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        m := OLD.member_id; s := OLD.scheme;
    ELSE
        m := NEW.member_id; s := NEW.scheme;
    END IF;
    SELECT sum(share_bp) INTO total FROM beneficiaries WHERE member_id = m AND scheme = s;
    IF total IS NOT NULL AND total <> 10000 THEN
        RAISE EXCEPTION 'beneficiary shares of member % in scheme % total % hundredths, not 10000', m, s, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'beneficiary_shares_total';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER beneficiary_shares_total
    AFTER INSERT OR UPDATE OR DELETE ON beneficiaries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_beneficiary_shares();

-- Every committed change of a member: who, when, what kind, and the whole
-- member after it, sealed (it holds identity numbers). "What did we know on
-- day D" is the last row with recorded_at <= D.
CREATE TABLE member_versions (
    member_id   uuid        NOT NULL REFERENCES members (id),
    version     bigint      NOT NULL CHECK (version > 0),
    recorded_at timestamptz NOT NULL,
    actor       text        NOT NULL,
    change      text        NOT NULL CHECK (change IN ('registered', 'updated', 'status_changed', 'deceased',
                                                       'honour_added', 'dependants_changed',
                                                       'beneficiaries_changed', 'imported')),
    snapshot    bytea       NOT NULL,
    PRIMARY KEY (member_id, version)
);
CREATE INDEX member_versions_recorded ON member_versions (member_id, recorded_at);
CREATE TRIGGER member_versions_append_only BEFORE UPDATE OR DELETE ON member_versions
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Insurance plans: one scheme's terms for one plan year.
CREATE TABLE plans (
    id                       uuid        PRIMARY KEY,
    scheme                   text        NOT NULL CHECK (scheme IN ('work_injury', 'personal_accident',
                                                                    'critical_illness', 'supplementary_medical')),
    plan_year                integer     NOT NULL CHECK (plan_year BETWEEN 2000 AND 2100),
    name                     text        NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 100),
    coverage                 daterange   NOT NULL CHECK (NOT isempty(coverage) AND NOT lower_inf(coverage)
                                                         AND NOT upper_inf(coverage)),
    eligible_categories      text[]      NOT NULL CHECK (cardinality(eligible_categories) > 0 AND eligible_categories
                                             <@ ARRAY['police', 'judicial_police', 'judge', 'prosecutor',
                                                      'civil_servant', 'auxiliary_police']),
    frontline_only           boolean     NOT NULL DEFAULT false,
    aux_duties               text[]      NOT NULL DEFAULT '{}' CHECK (aux_duties <@ ARRAY['duty', 'civilian']),
    high_risk_only           boolean     NOT NULL DEFAULT false,
    premium_fen              bigint      NOT NULL CHECK (premium_fen >= 0),
    payer                    text        NOT NULL CHECK (payer IN ('unit', 'member', 'county_finance',
                                                                   'central_finance')),
    waiting_days             integer     NOT NULL DEFAULT 0 CHECK (waiting_days BETWEEN 0 AND 365),
    sum_death_fen            bigint      NOT NULL DEFAULT 0 CHECK (sum_death_fen >= 0),
    sum_disability_fen       bigint[]    NOT NULL CHECK (cardinality(sum_disability_fen) = 10
                                                         AND 0 <= ALL (sum_disability_fen)),
    sum_critical_illness_fen bigint      NOT NULL DEFAULT 0 CHECK (sum_critical_illness_fen >= 0),
    version                  bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (scheme, plan_year, name),
    -- Target of the enrollments' (plan_id, scheme) key, so an enrollment's
    -- copy of the scheme can never disagree with its plan.
    UNIQUE (id, scheme),
    CHECK (extract(year FROM lower(coverage)) = plan_year),
    CHECK (upper(coverage) <= lower(coverage) + interval '1 year')
);

-- Enrollments: a member in a plan for a period ([first day, last day + 1)).
-- Periods of one member in one scheme never overlap, whatever the
-- application does.
CREATE TABLE enrollments (
    id           uuid        PRIMARY KEY,
    member_id    uuid        NOT NULL REFERENCES members (id),
    plan_id      uuid        NOT NULL,
    scheme       text        NOT NULL,
    plan_year    integer     NOT NULL,
    period       daterange   NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    covered_from date        NOT NULL,
    status       text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lapsed', 'ended')),
    end_reason   text        CHECK (end_reason IN ('non_payment', 'ineligible', 'member_left', 'member_retired',
                                                   'member_deceased', 'ended_by_request')),
    version      bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (plan_id, scheme) REFERENCES plans (id, scheme),
    -- A voided enrollment (ended before it began: covered_from past its
    -- last day) covers nothing and blocks nothing.
    CONSTRAINT enrollments_no_overlap EXCLUDE USING gist (member_id WITH =, scheme WITH =, period WITH &&)
        WHERE (covered_from < upper(period)),
    CHECK ((status = 'active') = (end_reason IS NULL)),
    CHECK (status = 'active' OR end_reason IN ('non_payment', 'ineligible') = (status = 'lapsed')),
    CHECK (covered_from >= lower(period))
);
CREATE INDEX enrollments_plan ON enrollments (plan_id, status);
CREATE INDEX enrollments_year ON enrollments (plan_year);

-- The dated facts of each enrollment: activated (first covered day), lapsed
-- or ended (last covered day). Append-only.
CREATE TABLE enrollment_events (
    id            bigserial   PRIMARY KEY,
    enrollment_id uuid        NOT NULL REFERENCES enrollments (id),
    kind          text        NOT NULL CHECK (kind IN ('activated', 'lapsed', 'ended')),
    effective_on  date        NOT NULL,
    reason        text,
    recorded_at   timestamptz NOT NULL,
    actor         text        NOT NULL,
    CHECK ((kind = 'activated') = (reason IS NULL))
);
CREATE INDEX enrollment_events_enrollment ON enrollment_events (enrollment_id, id);
CREATE TRIGGER enrollment_events_append_only BEFORE UPDATE OR DELETE ON enrollment_events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Roster imports that committed: what file, how many rows did what.
CREATE TABLE roster_imports (
    id          uuid        PRIMARY KEY,
    file_sha256 text        NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    file_name   text        NOT NULL,
    format      text        NOT NULL CHECK (format IN ('csv', 'xlsx')),
    rows        integer     NOT NULL CHECK (rows >= 0),
    created     integer     NOT NULL CHECK (created >= 0),
    updated     integer     NOT NULL CHECK (updated >= 0),
    unchanged   integer     NOT NULL CHECK (unchanged >= 0),
    actor       text        NOT NULL,
    imported_at timestamptz NOT NULL,
    CHECK (created + updated + unchanged = rows)
);
CREATE TRIGGER roster_imports_append_only BEFORE UPDATE OR DELETE ON roster_imports
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- +goose Down
DROP TABLE roster_imports;
DROP TABLE enrollment_events;
DROP TABLE enrollments;
DROP TABLE plans;
DROP TABLE member_versions;
DROP TABLE beneficiaries;
DROP FUNCTION check_beneficiary_shares();
DROP TABLE dependants;
DROP TABLE member_honours;
DROP TABLE members;
DROP TABLE units;
DROP FUNCTION forbid_change();
