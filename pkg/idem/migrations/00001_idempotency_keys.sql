-- +goose Up
-- Idempotency keys (pkg/idem): one row per (caller, key). A request
-- reserves its row (state in_flight, owner, lease) before its handler runs;
-- the handler's own transaction flips it to committed just before COMMIT,
-- so the effect and "this key is spent" commit together; the response is
-- stored afterwards (state done) and replayed to every retry until
-- expires_at.
CREATE TABLE idempotency_keys (
    caller       text        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    method       text        NOT NULL,
    path         text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('in_flight', 'committed', 'done')),
    owner        uuid        NOT NULL,
    lease_until  timestamptz NOT NULL,
    status       integer,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
