-- +goose Up
-- An administrator lifting a sign-in throttle: failures of the pair
-- (account name, address) before lifted_at no longer count. Append-only,
-- and each lift is also in the audit trail.
CREATE TABLE sign_in_throttle_lifts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key text        NOT NULL CHECK (char_length(account_key) <= 64),
    address     text        NOT NULL,
    lifted_at   timestamptz NOT NULL,
    lifted_by   text        NOT NULL
);
CREATE INDEX sign_in_throttle_lifts_pair ON sign_in_throttle_lifts (account_key, address, lifted_at DESC);
-- The pair query of every sign-in filters on both columns.
CREATE INDEX login_attempts_pair ON login_attempts (account_key, address, at DESC);

-- +goose Down
DROP INDEX login_attempts_pair;
DROP TABLE sign_in_throttle_lifts;
