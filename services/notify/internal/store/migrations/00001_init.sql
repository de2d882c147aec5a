-- The notify schema: what each person asked to be told and how, their
-- in-app inbox, and every delivery to another channel with its attempts.
-- Names are unqualified: the connection's search_path is "notify,public".
-- Instants are timestamptz (UTC); quiet hours are minutes of the day in
-- Asia/Shanghai, because that is how people state them.

-- +goose Up

-- One row per person who has set anything. A person without a row gets
-- the defaults (domain.DefaultPreferences). user_id is the gateway's user
-- id: not a foreign key, it lives in another service's schema.
CREATE TABLE preferences (
    user_id     text        PRIMARY KEY CHECK (user_id <> ''),
    email       text        NOT NULL DEFAULT '' CHECK (char_length(email) <= 254),
    mobile      text        NOT NULL DEFAULT '' CHECK (mobile = '' OR mobile ~ '^1[3-9][0-9]{9}$'),
    -- kind -> the channels beyond the inbox, e.g. {"case_opened": ["email","sms"]}
    channels    jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(channels) = 'object'),
    quiet_start smallint    CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end   smallint    CHECK (quiet_end BETWEEN 0 AND 1439),
    version     bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at  timestamptz NOT NULL,
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- The in-app inbox: one row per (event, person), whatever the
-- redeliveries. The text is rendered when read, in the reader's language,
-- from kind and args.
CREATE TABLE notifications (
    id         uuid        PRIMARY KEY,
    user_id    text        NOT NULL CHECK (user_id <> ''),
    event_id   uuid        NOT NULL,
    kind       text        NOT NULL,
    critical   boolean     NOT NULL DEFAULT false,
    args       jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(args) = 'array'),
    link       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (event_id, user_id)
);

-- The header's unread count: one index-only count per page.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_by_user ON notifications (user_id, created_at DESC, id DESC);

-- One delivery per (event, person, channel): the unique key is what makes a
-- redelivered event harmless. state moves
--   pending -> sending -> sent
--                      -> pending (a failure that certainly sent nothing, with backoff)
--                      -> dead    (permanent failure or attempts used up)
--                      -> unknown (the process died or the call broke after the
--                                  receiver may have had it: never resent blindly)
-- and an admin's replay moves dead or unknown back to pending.
CREATE TABLE deliveries (
    id              uuid        PRIMARY KEY,
    notification_id uuid        NOT NULL REFERENCES notifications (id),
    event_id        uuid        NOT NULL,
    user_id         text        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('email', 'sms', 'dingtalk', 'wecom')),
    address         text        NOT NULL DEFAULT '',
    lang            text        NOT NULL CHECK (lang IN ('zh-CN', 'en')),
    state           text        NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'unknown')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_at         timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    version         bigint      NOT NULL DEFAULT 1 CHECK (version > 0),
    UNIQUE (event_id, user_id, channel),
    CHECK ((state = 'sending') = (lease_until IS NOT NULL)),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

CREATE INDEX deliveries_due ON deliveries (next_at) WHERE state = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE state = 'sending';
CREATE INDEX deliveries_failed ON deliveries (created_at DESC, id DESC) WHERE state IN ('dead', 'unknown');

-- Every call to a channel's adapter, as it happened. The rate limit counts
-- the calls of the last minute per channel from here, so replicas share it.
CREATE TABLE delivery_attempts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id uuid        NOT NULL REFERENCES deliveries (id),
    channel     text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text        CHECK (outcome IN ('sent', 'failed', 'unknown', 'replayed')),
    error       text        NOT NULL DEFAULT ''
);

CREATE INDEX delivery_attempts_rate ON delivery_attempts (channel, started_at);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);

-- +goose Down
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE notifications;
DROP TABLE preferences;
