-- The grants schema: the assistance fund of each fiscal year, its programs,
-- applications and their approval chain, recurring grants, the
-- double-entry ledger and export jobs. Names are unqualified: the
-- connection's search_path is "grants,public". Money is bigint fen, dates
-- are date, instants timestamptz (UTC). Invariants that guard money are
-- enforced here as well as in Go, so no code path can break them.

-- +goose Up

-- Chart of accounts (政府会计制度, 财会〔2017〕25号). The confirmed accounts
-- are seeded below; admins may add configurable ones.
CREATE TABLE accounts (
    code       text        PRIMARY KEY CHECK (code ~ '^[0-9]{4,8}$'),
    name_zh    text        NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
    name_en    text        NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
    kind       text        NOT NULL CHECK (kind IN ('asset','liability','net_assets','revenue','expense',
                                                     'budget_revenue','budget_expense','budget_balance','memo')),
    confirmed  boolean     NOT NULL DEFAULT false,
    active     boolean     NOT NULL DEFAULT true,
    version    bigint      NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO accounts (code, name_zh, name_en, kind, confirmed) VALUES
    ('1011', '零余额账户用款额度', 'Zero-balance account quota', 'asset', true),
    ('2307', '其他应付款', 'Other payables', 'liability', false),
    ('4001', '财政拨款收入', 'Fiscal appropriation revenue', 'revenue', true),
    ('5001', '业务活动费用', 'Operating expenses', 'expense', true),
    ('6001', '财政拨款预算收入', 'Fiscal appropriation budget revenue', 'budget_revenue', true),
    ('7101', '行政支出', 'Administrative expenditure', 'budget_expense', true),
    ('8001', '资金结存', 'Fund balance', 'budget_balance', false),
    ('9101', '已承诺资助（备查）', 'Committed grants (memo)', 'memo', false),
    ('9102', '资助承诺对冲（备查）', 'Commitment contra (memo)', 'memo', false);

-- Dated parameters (national income by year, regional monthly wage). A new
-- figure is a new row; the calculators pick the one in force.
CREATE TABLE rates (
    kind       text        NOT NULL CHECK (kind IN ('national_income', 'regional_monthly_wage')),
    valid_from date        NOT NULL,
    amount     bigint      NOT NULL CHECK (amount > 0),
    source     text        NOT NULL DEFAULT '' CHECK (length(source) <= 500),
    version    bigint      NOT NULL DEFAULT 1,
    created_by text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, valid_from),
    -- a yearly figure describes a calendar year: it is dated 1 January
    CHECK (kind <> 'national_income' OR (extract(month FROM valid_from) = 1 AND extract(day FROM valid_from) = 1))
);

-- One fund per fiscal year. committed counts every approved amount,
-- disbursed or not; the CHECKs make overspending impossible even for a
-- statement that forgets the conditional WHERE.
CREATE TABLE funds (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    fiscal_year   integer     NOT NULL UNIQUE CHECK (fiscal_year BETWEEN 2000 AND 2999),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    appropriation bigint      NOT NULL CHECK (appropriation >= 0),
    committed     bigint      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    disbursed     bigint      NOT NULL DEFAULT 0 CHECK (disbursed >= 0),
    version       bigint      NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT funds_within_appropriation CHECK (committed <= appropriation),
    CONSTRAINT funds_disbursed_within_committed CHECK (disbursed <= committed)
);

CREATE TABLE programs (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    fund_id            uuid        NOT NULL REFERENCES funds (id),
    code               text        NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    name_zh            text        NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
    name_en            text        NOT NULL DEFAULT '' CHECK (length(name_en) <= 200),
    kind               text        NOT NULL CHECK (kind IN ('martyr_family','disabled_on_duty','hardship','children_education','other')),
    allocation         bigint      NOT NULL CHECK (allocation >= 0),
    committed          bigint      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    disbursed          bigint      NOT NULL DEFAULT 0 CHECK (disbursed >= 0),
    eligibility        jsonb       NOT NULL DEFAULT '{}',
    amount_rule        jsonb       NOT NULL,
    required_documents text[]      NOT NULL DEFAULT '{}',
    dual_above         bigint      NOT NULL CHECK (dual_above >= 0),
    recurring          boolean     NOT NULL DEFAULT false,
    active             boolean     NOT NULL DEFAULT true,
    version            bigint      NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (fund_id, code),
    CONSTRAINT programs_within_allocation CHECK (committed <= allocation),
    CONSTRAINT programs_disbursed_within_committed CHECK (disbursed <= committed)
);

-- The programs' allocations never exceed the fund's appropriation. The
-- fund row is locked so two concurrent program changes cannot both pass.
-- +goose StatementBegin
CREATE FUNCTION check_fund_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fid uuid;
    appr bigint;
    total bigint;
BEGIN
    IF TG_TABLE_NAME = 'funds' THEN
        fid := NEW.id;
    ELSE
        fid := NEW.fund_id;
    END IF;
    SELECT appropriation INTO appr FROM funds WHERE id = fid FOR UPDATE;
    SELECT coalesce(sum(allocation), 0) INTO total FROM programs WHERE fund_id = fid;
    IF total > appr THEN
        RAISE EXCEPTION 'program allocations % exceed the appropriation % of fund %', total, appr, fid
            USING ERRCODE = 'check_violation', CONSTRAINT = 'programs_within_appropriation';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER programs_within_appropriation
    AFTER INSERT OR UPDATE OF allocation, fund_id ON programs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_fund_allocation();
CREATE CONSTRAINT TRIGGER funds_cover_allocations
    AFTER UPDATE OF appropriation ON funds
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_fund_allocation();

-- Projection of the members grants needs facts about, fed by enrollment's
-- and injury's events.
CREATE TABLE members (
    member_id   text        PRIMARY KEY,
    unit_id     text        NOT NULL DEFAULT '',
    category    text        NOT NULL DEFAULT '',
    deceased    boolean     NOT NULL DEFAULT false,
    died_on     date,
    death_cause text        NOT NULL DEFAULT '',
    dependants  jsonb       NOT NULL DEFAULT '[]',
    honours     jsonb       NOT NULL DEFAULT '[]',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gradings (
    case_id     text        PRIMARY KEY,
    member_id   text        NOT NULL,
    grade       integer     NOT NULL CHECK (grade BETWEEN 1 AND 10),
    graded_on   date        NOT NULL,
    work_injury boolean     NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gradings_member ON gradings (member_id, graded_on DESC);

-- Application numbers GA-<year>-<seq>, gap-free like vouchers.
CREATE TABLE application_counters (
    fiscal_year integer PRIMARY KEY,
    last_no     bigint  NOT NULL CHECK (last_no >= 0)
);

CREATE TABLE applications (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    number              text        NOT NULL UNIQUE,
    fund_id             uuid        NOT NULL REFERENCES funds (id),
    program_id          uuid        NOT NULL REFERENCES programs (id),
    member_id           text        NOT NULL CHECK (member_id <> ''),
    applicant_user_id   text        NOT NULL CHECK (applicant_user_id <> ''),
    applicant_member_id text        NOT NULL DEFAULT '',
    applicant_name      text        NOT NULL DEFAULT '' CHECK (length(applicant_name) <= 200),
    dependant_id        text        NOT NULL DEFAULT '',
    prepared_by         text        NOT NULL CHECK (prepared_by <> ''),
    unit_id             text        NOT NULL DEFAULT '',
    event_ref           text        NOT NULL DEFAULT '' CHECK (length(event_ref) <= 200),
    state               text        NOT NULL CHECK (state IN ('draft','submitted','reviewed','approved','disbursed',
                                                              'active','stopped','rejected','returned','withdrawn')),
    requested_amount    bigint      NOT NULL DEFAULT 0 CHECK (requested_amount >= 0),
    amount              bigint      NOT NULL DEFAULT 0 CHECK (amount >= 0),
    committed_amount    bigint      NOT NULL DEFAULT 0 CHECK (committed_amount >= 0),
    breakdown           jsonb,
    facts               jsonb       NOT NULL DEFAULT '{}',
    calc_input          jsonb       NOT NULL DEFAULT '{}',
    documents           text[]      NOT NULL DEFAULT '{}',
    recurring           boolean     NOT NULL DEFAULT false,
    round               integer     NOT NULL DEFAULT 1 CHECK (round >= 1),
    duplicate_flags     jsonb       NOT NULL DEFAULT '[]',
    duplicate_note      text        NOT NULL DEFAULT '' CHECK (length(duplicate_note) <= 2000),
    reason              text        NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    notice_id           uuid,
    version             bigint      NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- an approved-or-later application has its amount committed
    CHECK (state NOT IN ('approved','disbursed','active','stopped') OR committed_amount > 0)
);
CREATE INDEX applications_event ON applications (member_id, event_ref) WHERE event_ref <> '';
CREATE INDEX applications_unit_state ON applications (unit_id, state);
CREATE INDEX applications_applicant ON applications (applicant_user_id);
CREATE INDEX applications_state ON applications (state, updated_at);

-- The approval chain's history: append-only. One person takes at most one
-- staff step per round (segregation of duties, enforced here too).
CREATE TABLE application_actions (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    round          integer     NOT NULL CHECK (round >= 1),
    step           text        NOT NULL CHECK (step IN ('submit','review','committee_approval','disburse',
                                                        'reject','return','withdraw','stop','recheck')),
    actor          text        NOT NULL CHECK (actor <> ''),
    actor_name     text        NOT NULL DEFAULT '',
    at             timestamptz NOT NULL,
    reason         text        NOT NULL DEFAULT '' CHECK (length(reason) <= 2000)
);
CREATE INDEX application_actions_app ON application_actions (application_id, id);
CREATE UNIQUE INDEX application_actions_one_staff_step
    ON application_actions (application_id, round, actor)
    WHERE step IN ('review', 'committee_approval', 'disburse');

-- Work opened by events for a caseworker's queue.
CREATE TABLE notices (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    program_id      uuid        NOT NULL REFERENCES programs (id),
    member_id       text        NOT NULL,
    dependant_id    text        NOT NULL DEFAULT '',
    unit_id         text        NOT NULL DEFAULT '',
    event_ref       text        NOT NULL,
    grade           integer     CHECK (grade BETWEEN 1 AND 10),
    cause           text        NOT NULL DEFAULT '',
    event_date      date,
    state           text        NOT NULL DEFAULT 'open' CHECK (state IN ('open','converted','dismissed')),
    source_event_id uuid,
    application_id  uuid        REFERENCES applications (id),
    reason          text        NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    version         bigint      NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (program_id, member_id, dependant_id, event_ref)
);
CREATE INDEX notices_open ON notices (unit_id, created_at) WHERE state = 'open';

-- Recurring grants (periodic pensions): the schedule of an active one.
CREATE TABLE recurring_grants (
    application_id  uuid        PRIMARY KEY REFERENCES applications (id),
    monthly_amount  bigint      NOT NULL CHECK (monthly_amount > 0),
    start_month     date        NOT NULL CHECK (extract(day FROM start_month) = 1),
    last_paid_month date        CHECK (extract(day FROM last_paid_month) = 1 AND last_paid_month >= start_month),
    checked_on      date        NOT NULL,
    recipient_death date,
    version         bigint      NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The double-entry ledger --------------------------------------------------

-- Voucher numbers are gap-free per fiscal year: the BEFORE INSERT trigger
-- takes the next number from this row, whose lock is held to the end of the
-- transaction, so a rolled-back entry gives its number back.
CREATE TABLE voucher_counters (
    fiscal_year integer PRIMARY KEY,
    last_no     bigint  NOT NULL CHECK (last_no >= 0)
);

CREATE TABLE journal_entries (
    id          bigserial   PRIMARY KEY,
    fiscal_year integer     NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2999),
    voucher_no  bigint      NOT NULL CHECK (voucher_no > 0),
    entry_date  date        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('appropriation','commitment','release','disbursement','payment','reversal')),
    summary     text        NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
    fund_id     uuid        NOT NULL REFERENCES funds (id),
    reversal_of bigint      UNIQUE REFERENCES journal_entries (id),
    created_by  text        NOT NULL CHECK (created_by <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (fiscal_year, voucher_no),
    CHECK ((kind = 'reversal') = (reversal_of IS NOT NULL))
);
CREATE INDEX journal_entries_date ON journal_entries (entry_date, id);

CREATE TABLE journal_lines (
    id             bigserial PRIMARY KEY,
    entry_id       bigint    NOT NULL REFERENCES journal_entries (id),
    line_no        integer   NOT NULL CHECK (line_no >= 1),
    account_code   text      NOT NULL REFERENCES accounts (code),
    debit          bigint    NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit         bigint    NOT NULL DEFAULT 0 CHECK (credit >= 0),
    program_id     uuid      REFERENCES programs (id),
    application_id uuid      REFERENCES applications (id),
    UNIQUE (entry_id, line_no),
    CONSTRAINT journal_lines_one_sided CHECK ((debit > 0) <> (credit > 0))
);
CREATE INDEX journal_lines_account ON journal_lines (account_code);
CREATE INDEX journal_lines_program ON journal_lines (program_id) WHERE program_id IS NOT NULL;
CREATE INDEX journal_lines_application ON journal_lines (application_id) WHERE application_id IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION assign_voucher_no() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO voucher_counters AS c (fiscal_year, last_no) VALUES (NEW.fiscal_year, 1)
    ON CONFLICT (fiscal_year) DO UPDATE SET last_no = c.last_no + 1
    RETURNING last_no INTO NEW.voucher_no;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER journal_entries_voucher_no BEFORE INSERT ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION assign_voucher_no();

-- Every entry balances and has two lines at least, checked at commit so the
-- lines can be inserted one by one in the entry's transaction.
-- +goose StatementBegin
CREATE FUNCTION check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    eid bigint;
    n bigint;
    d bigint;
    c bigint;
BEGIN
    IF TG_TABLE_NAME = 'journal_entries' THEN
        eid := NEW.id;
    ELSE
        eid := NEW.entry_id;
    END IF;
    SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO n, d, c
      FROM journal_lines WHERE entry_id = eid;
    IF n < 2 OR d <> c THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: % lines, debits %, credits %', eid, n, d, c
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER journal_entry_balanced
    AFTER INSERT ON journal_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_entry_balanced();
CREATE CONSTRAINT TRIGGER journal_lines_balanced
    AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_entry_balanced();

-- Facts are never changed or removed: the ledger, the approval history and
-- the disbursements. A correction is a reversal entry.
-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER journal_lines_immutable BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER application_actions_immutable BEFORE UPDATE OR DELETE ON application_actions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER application_actions_no_truncate BEFORE TRUNCATE ON application_actions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Money out: one row per grant paid (a one-time grant once; a recurring
-- one per month), with the entries that booked it.
CREATE TABLE disbursements (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id     uuid        NOT NULL REFERENCES applications (id),
    period             date        NOT NULL CHECK (extract(day FROM period) = 1),
    amount             bigint      NOT NULL CHECK (amount > 0),
    fund_id            uuid        NOT NULL REFERENCES funds (id),
    program_id         uuid        NOT NULL REFERENCES programs (id),
    entry_id           bigint      NOT NULL REFERENCES journal_entries (id),
    payment_entry_id   bigint      NOT NULL REFERENCES journal_entries (id),
    disbursed_by       text        NOT NULL CHECK (disbursed_by <> ''),
    disbursed_at       timestamptz NOT NULL,
    UNIQUE (application_id, period)
);
CREATE TRIGGER disbursements_immutable BEFORE UPDATE OR DELETE ON disbursements
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER disbursements_no_truncate BEFORE TRUNCATE ON disbursements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Export jobs: the file is stored in chunks in the database so that any
-- replica can serve the download and none holds the only copy.
CREATE TABLE export_jobs (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    requested_by text        NOT NULL,
    format       text        NOT NULL CHECK (format IN ('csv', 'xlsx')),
    filter       jsonb       NOT NULL DEFAULT '{}',
    lang         text        NOT NULL DEFAULT 'zh-CN',
    state        text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','running','done','failed')),
    rows_done    bigint      NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    rows_total   bigint      NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    bytes        bigint      NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    error_code   text        NOT NULL DEFAULT '',
    version      bigint      NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz
);
CREATE INDEX export_jobs_requester ON export_jobs (requested_by, created_at DESC);
CREATE INDEX export_jobs_queued ON export_jobs (created_at) WHERE state = 'queued';

CREATE TABLE export_chunks (
    job_id uuid    NOT NULL REFERENCES export_jobs (id) ON DELETE CASCADE,
    seq    integer NOT NULL CHECK (seq >= 0),
    data   bytea   NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- +goose Down
DROP TABLE export_chunks;
DROP TABLE export_jobs;
DROP TABLE disbursements;
DROP TABLE journal_lines;
DROP TABLE journal_entries;
DROP TABLE voucher_counters;
DROP TABLE recurring_grants;
DROP TABLE notices;
DROP TABLE application_actions;
DROP TABLE applications;
DROP TABLE application_counters;
DROP TABLE gradings;
DROP TABLE members;
DROP TABLE programs;
DROP TABLE funds;
DROP TABLE rates;
DROP TABLE accounts;
DROP FUNCTION refuse_change();
DROP FUNCTION check_entry_balanced();
DROP FUNCTION assign_voucher_no();
DROP FUNCTION check_fund_allocation();
