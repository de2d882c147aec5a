-- The trail is several hash chains instead of one, so that writers of one
-- schema no longer queue behind a single lock until each other's commit:
-- a writer appends to any chain no other open transaction is extending
-- (audit.Write), and up to audit.Chains transactions commit side by side,
-- which lets PostgreSQL flush their commits together. Every row existing
-- before this migration is chain 0, whose links stay as they were; each
-- chain starts with one row without prev_hash and no two rows of a chain
-- follow the same one.

-- +goose Up
ALTER TABLE audit_log ADD COLUMN chain smallint NOT NULL DEFAULT 0 CHECK (chain >= 0);

CREATE UNIQUE INDEX audit_log_chain_prev_hash_key ON audit_log (chain, (coalesce(prev_hash, '\x'::bytea)));
DROP INDEX audit_log_prev_hash_key;

-- A chain's head: the newest row of that chain.
CREATE INDEX audit_log_chain_seq_idx ON audit_log (chain, seq);

-- +goose Down
DROP INDEX audit_log_chain_seq_idx;
CREATE UNIQUE INDEX audit_log_prev_hash_key ON audit_log ((coalesce(prev_hash, '\x'::bytea)));
DROP INDEX audit_log_chain_prev_hash_key;
ALTER TABLE audit_log DROP COLUMN chain;
