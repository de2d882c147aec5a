-- The audit trail of one service schema: who did what to which object, and
-- what it looked like before and after. Rows are facts: a trigger refuses
-- every UPDATE, DELETE and TRUNCATE, and each row carries the SHA-256 of its
-- content and of the previous row's hash, so a row changed or removed behind
-- the trigger's back (by a superuser who disables it) breaks the chain and
-- audit.Verify finds it. Names are unqualified: search_path is the schema.

-- +goose Up
CREATE TABLE audit_log (
    seq         bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL CHECK (actor <> ''),
    action      text        NOT NULL CHECK (action <> ''),
    object_type text,
    object_id   text,
    before      jsonb,
    after       jsonb,
    request_id  text,
    prev_hash   bytea       CHECK (octet_length(prev_hash) = 32),
    hash        bytea       NOT NULL CHECK (octet_length(hash) = 32)
);

-- At most one row starts the chain and no two rows follow the same one: a
-- writer whose snapshot missed the latest row (REPEATABLE READ) fails here
-- instead of forking the chain.
CREATE UNIQUE INDEX audit_log_prev_hash_key ON audit_log ((coalesce(prev_hash, '\x'::bytea)));

CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING HINT = 'Audit rows are never changed or removed; record a correction as a new row.';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
-- There is deliberately no way down: dropping the table would delete the
-- audit trail. Remove a schema by hand (DROP SCHEMA ... CASCADE) if it must go.
-- +goose StatementBegin
DO $$
BEGIN
    RAISE EXCEPTION 'audit_log cannot be migrated down: audit rows are never deleted';
END
$$;
-- +goose StatementEnd
