-- +goose Up
-- Service accounts: machine clients of the API (the county HR system, the
-- finance system) with an API token. Only the SHA-256 of the token's secret
-- is kept; token_prefix is its public part and finds the row. Rows are never
-- deleted: a revoked or expired account stays listed, and its id is what
-- the services' audit trails name as the actor.
CREATE TABLE service_accounts (
    id                uuid PRIMARY KEY,
    name              text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    token_prefix      text        NOT NULL UNIQUE CHECK (token_prefix ~ '^[0-9a-f]{16}$'),
    secret_hash       bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),
    -- the machine roles only (domain.MachineRoles): never a person's role,
    -- an approver's or an administrator's.
    roles             text[]      NOT NULL
                      CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['caseworker','finance','auditor']::text[]),
    units             text[]      NOT NULL DEFAULT '{}',
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    created_by        uuid        NOT NULL REFERENCES users (id),
    revoked_at        timestamptz,
    revoked_by        uuid        REFERENCES users (id),
    last_used_at      timestamptz,
    last_used_address text        NOT NULL DEFAULT '',
    version           bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    CHECK (expires_at > created_at),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    CONSTRAINT service_accounts_unit_scope CHECK (cardinality(units) > 0 OR NOT (roles && ARRAY['caseworker']::text[]))
);

-- The list: newest first, by keyset (pkg/page).
CREATE INDEX service_accounts_created ON service_accounts (created_at DESC, id DESC);

-- +goose Down
DROP TABLE service_accounts;
