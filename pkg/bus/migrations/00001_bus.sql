-- +goose Up
-- The transactional outbox: a service writes its state change and these
-- rows in one transaction; the relay publishes them to JetStream.
CREATE TABLE outbox (
    seq               bigserial PRIMARY KEY,
    id                uuid        NOT NULL UNIQUE,
    subject           text        NOT NULL,
    type              text        NOT NULL,
    subject_id        text        NOT NULL DEFAULT '',
    aggregate_version bigint      NOT NULL DEFAULT 0,
    envelope          bytea       NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    attempts          integer     NOT NULL DEFAULT 0,
    last_error        text
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('anxin_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumers: the handler's effect and this row commit together,
-- so a redelivered event finds its row and has no second effect.
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    event_id    uuid        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Messages a consumer gave up on after its last retry, for an admin to
-- read and replay.
CREATE TABLE dead_letters (
    id          bigserial PRIMARY KEY,
    consumer    text        NOT NULL,
    event_id    uuid        NOT NULL,
    subject     text        NOT NULL,
    envelope    bytea       NOT NULL,
    error       text        NOT NULL,
    deliveries  integer     NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now(),
    replayed_at timestamptz,
    replayed_by text,
    UNIQUE (consumer, event_id)
);

-- The newest aggregate version each projection has applied, so an event
-- older than what a projection holds is ignored.
CREATE TABLE projection_versions (
    projection text   NOT NULL,
    subject_id text   NOT NULL,
    version    bigint NOT NULL,
    PRIMARY KEY (projection, subject_id)
);

-- +goose Down
DROP TABLE projection_versions;
DROP TABLE dead_letters;
DROP TABLE inbox;
DROP TABLE outbox;
DROP FUNCTION outbox_notify();
