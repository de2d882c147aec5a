-- Outbound webhooks (issue 15 item 7): subscriptions an admin keeps, one
-- delivery per (event, subscription), and every call with its answer.
-- Names are unqualified: the connection's search_path is "notify,public".

-- +goose Up

-- A subscription: where to POST which event types. The signing secret is
-- sealed at rest (pkg/sealed, AES-GCM under the deployment's field key);
-- after a rotation the previous secret keeps signing beside the new one
-- until previous_until, so a receiver can switch without losing a call.
-- A deleted subscription keeps its row (its deliveries and attempts are
-- history, and the audit trail names it) with its secrets wiped.
CREATE TABLE webhook_subscriptions (
    id              uuid        PRIMARY KEY,
    name            text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    url             text        NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
    kinds           text[]      NOT NULL CHECK (cardinality(kinds) > 0),
    active          boolean     NOT NULL DEFAULT true,
    secret          bytea,
    previous_secret bytea,
    previous_until  timestamptz,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz,
    version         bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    CHECK ((deleted_at IS NULL) = (secret IS NOT NULL)),
    CHECK ((previous_secret IS NULL) = (previous_until IS NULL))
);

CREATE INDEX webhook_subscriptions_list ON webhook_subscriptions (created_at DESC, id DESC) WHERE deleted_at IS NULL;
-- The consumer's question for each event: which live subscriptions want it.
CREATE INDEX webhook_subscriptions_kinds ON webhook_subscriptions USING gin (kinds) WHERE deleted_at IS NULL AND active;

-- One delivery per (event, subscription): the unique key makes a
-- redelivered event or a replayed dead letter harmless. body is the exact
-- JSON every attempt sends (and its signature covers); id is the delivery
-- id receivers deduplicate on. state moves
--   pending -> sending -> sent
--                      -> pending (anything but a 2xx, a timeout, or a lapsed
--                                  lease: receivers dedupe by id, so a call in
--                                  doubt is simply made again)
--                      -> dead    (attempts used up)
-- and an admin's replay moves dead or sent back to pending.
CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES webhook_subscriptions (id),
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_at         timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    version         bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    UNIQUE (event_id, subscription_id),
    CHECK ((state = 'sending') = (lease_until IS NOT NULL))
);

-- The dispatcher's question, per subscription: its oldest due delivery.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (subscription_id, next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_until) WHERE state = 'sending';
-- One call at a time per subscription: is one under way?
CREATE INDEX webhook_deliveries_sending ON webhook_deliveries (subscription_id) WHERE state = 'sending';
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (subscription_id, created_at) WHERE state = 'dead';

-- Every call as it happened: the answer's status, how long it took, and
-- the first bytes of what the receiver said. The per-subscription rate
-- limit counts the calls of the last minute from here, so replicas share it.
CREATE TABLE webhook_attempts (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     uuid        NOT NULL REFERENCES webhook_deliveries (id),
    subscription_id uuid        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    outcome         text        CHECK (outcome IN ('sent', 'failed', 'unknown', 'replayed')),
    status_code     integer,
    latency_ms      integer     CHECK (latency_ms >= 0),
    response        text        NOT NULL DEFAULT '' CHECK (octet_length(response) <= 1024),
    error           text        NOT NULL DEFAULT ''
);

CREATE INDEX webhook_attempts_rate ON webhook_attempts (subscription_id, started_at);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
