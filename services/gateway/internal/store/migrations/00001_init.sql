-- Gateway schema: the people who sign in, their sessions, and the record of
-- sign-in attempts that throttling and the security log read.
-- Tables are unqualified: the platform's search_path is "gateway,public".

-- +goose Up

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    -- normalized by the domain (trimmed, lower-case ASCII); the CHECK keeps a
    -- hand-written INSERT from creating a second "ZhangSan".
    username      text NOT NULL UNIQUE
                  CHECK (username = lower(username) AND username ~ '^[a-z0-9._@-]{3,64}$'),
    display_name  text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 50),
    -- the enrollment service's member id: the officer themselves, or for a
    -- family user the officer whose family they are. Not a foreign key: it
    -- lives in another service's schema.
    member_id     text CHECK (member_id <> ''),
    roles         text[] NOT NULL
                  CHECK (cardinality(roles) > 0
                         AND roles <@ ARRAY['officer','family','caseworker','unit_head',
                                            'approver','finance','auditor','admin']::text[]
                         AND NOT (roles @> ARRAY['officer','family']::text[])),
    units         text[] NOT NULL DEFAULT '{}',
    -- argon2id encoding; NULL for an account that signs in only by OIDC.
    password_hash text CHECK (password_hash LIKE '$argon2id$%'),
    oidc_issuer   text,
    oidc_subject  text,
    lang          text NOT NULL DEFAULT 'zh-CN' CHECK (lang IN ('zh-CN', 'en')),
    disabled_at   timestamptz,
    version       bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT users_oidc_pair CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
    -- an officer or family user is always linked to a member, otherwise
    -- "their own cases" would be undefined.
    CONSTRAINT users_member_link CHECK (member_id IS NOT NULL OR NOT (roles && ARRAY['officer','family']::text[])),
    -- caseworkers and unit heads work on some units only.
    CONSTRAINT users_unit_scope CHECK (cardinality(units) > 0 OR NOT (roles && ARRAY['caseworker','unit_head']::text[])),
    UNIQUE (oidc_issuer, oidc_subject)
);

CREATE INDEX users_member_id ON users (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX users_roles ON users USING gin (roles);

-- One row per signed-in browser. The cookie carries a random 32-byte id; only
-- its SHA-256 is stored, so reading this table gives no usable session.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    csrf_token   text NOT NULL CHECK (char_length(csrf_token) >= 32),
    address      text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '' CHECK (octet_length(user_agent) <= 256),
    CHECK (last_seen_at >= created_at AND expires_at > created_at)
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- All sessions end when a user is disabled. The store deletes them in the
-- same transaction; this trigger makes it true for any other writer too.
-- +goose StatementBegin
CREATE FUNCTION end_sessions_of_disabled_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS NULL THEN
        DELETE FROM sessions WHERE user_id = NEW.id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER users_disabled_end_sessions
    AFTER UPDATE OF disabled_at ON users
    FOR EACH ROW EXECUTE FUNCTION end_sessions_of_disabled_user();

-- And no session starts for a disabled user, even when the sign-in raced the
-- disabling: FOR SHARE waits for a concurrent disabling to commit and then
-- sees it, while a disabling that comes second waits for the sign-in and its
-- trigger above deletes the new session.
-- +goose StatementBegin
CREATE FUNCTION refuse_session_of_disabled_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = NEW.user_id AND disabled_at IS NULL FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user % is disabled or unknown', NEW.user_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER sessions_refuse_disabled_user
    BEFORE INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION refuse_session_of_disabled_user();

-- Every sign-in attempt, append-only: the throttle counts failures per
-- account name and per address from it, and it is the security log that must
-- be kept at least 6 months (网络安全法 art. 21). account_key is the
-- normalized name typed, whether or not such a user exists.
CREATE TABLE login_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key text NOT NULL CHECK (char_length(account_key) <= 64),
    address     text NOT NULL,
    user_id     uuid REFERENCES users (id),
    success     boolean NOT NULL,
    -- why a failure failed, for the security log: invalid, throttled,
    -- disabled. Never shown to the person signing in.
    reason      text NOT NULL DEFAULT '' CHECK (reason IN ('', 'invalid', 'throttled', 'disabled', 'oidc')),
    at          timestamptz NOT NULL,
    CHECK (success = (reason IN ('', 'oidc')))
);

CREATE INDEX login_attempts_account ON login_attempts (account_key, at DESC);
CREATE INDEX login_attempts_address ON login_attempts (address, at DESC);

-- +goose StatementBegin
CREATE FUNCTION login_attempts_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Deleting rows older than the retention period is allowed (pruning);
    -- changing a row never is.
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'login_attempts is append-only' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'login_attempts rows are kept 180 days' USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER login_attempts_append_only
    BEFORE UPDATE OR DELETE ON login_attempts
    FOR EACH ROW EXECUTE FUNCTION login_attempts_append_only();

-- +goose Down

DROP TABLE login_attempts;
DROP FUNCTION login_attempts_append_only();
DROP TABLE sessions;
DROP FUNCTION refuse_session_of_disabled_user();
DROP TABLE users;
DROP FUNCTION end_sessions_of_disabled_user();
