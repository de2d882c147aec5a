// Package audit keeps the audit trail of a service: an append-only,
// hash-chained audit_log table in the service's own schema, written inside
// the same transaction as the change it records, so a change and its audit
// row commit or roll back together.
//
// Append-only is enforced twice. A trigger refuses UPDATE, DELETE and
// TRUNCATE for every role; and each row stores the SHA-256 of its content
// and of the previous row's hash in its chain, so a row changed, inserted or
// removed by someone able to bypass the trigger (a superuser) breaks its
// chain, which Verify finds. A schema's trail is Chains chains rather than
// one so that its writers do not queue on one lock (see Write). What a
// chain cannot show on its own is the removal of its newest rows;
// Report.Chains holds the heads to copy somewhere else from time to time
// (an export, a log) so that can be checked too.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/clock"
)

// Entry is one thing that happened, as the caller describes it.
//
// Before and After are the object's state around the change (nil for
// none), encoded with encoding/json. Never put a full identity number,
// bank account or health result in them: audit rows can be read by
// auditors and can never be deleted, so record idcard.Mask'ed values or the
// blind index instead.
type Entry struct {
	// Actor is who did it: a user id, or "system:<service>" for jobs.
	Actor string
	// Action is a stable verb code such as "grant.approve" or "member.view_idcard".
	Action string
	// ObjectType and ObjectID name what it was done to; empty if nothing.
	ObjectType string
	ObjectID   string
	// Before and After are the state around the change; nil means none.
	Before any
	After  any
	// RequestID ties the row to the request's access log line.
	RequestID string
}

// Record is one stored audit row. Before and After are canonical JSON
// (sorted keys, no spaces) or nil; empty text columns read as "".
type Record struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type,omitempty"`
	ObjectID   string          `json:"object_id,omitempty"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	RequestID  string          `json:"request_id,omitempty"`
	PrevHash   []byte          `json:"prev_hash,omitempty"`
	Hash       []byte          `json:"hash"`
}

// Chains is how many hash chains a schema's trail has. A writer appends to
// one chain and holds it until its transaction ends, so up to Chains
// transactions of one schema write audit rows, and commit, side by side;
// one more waits for one of them. Every row before the chains existed is
// chain 0. Changing Chains is safe: Verify checks whatever chains exist.
const Chains = 16

// lockSpace is the upper half of the advisory lock key of chain 0; chain c
// is lockSpace+c. The lower half is the audit_log table's oid. Keying by
// the table that 'audit_log' resolves to through search_path locks exactly
// the chains the insert extends: no hashing, no collisions between schemas.
// Chain 0's key is the one the single chain had, so a writer of the old
// code and one of chain 0 still exclude each other.
const lockSpace = 0x61756474 // "audt"

const (
	// pickSQL takes a chain lock without waiting: the chain this
	// transaction already holds (a second Write reuses it, so a transaction
	// holds one chain and can never deadlock on two), else the first free
	// one, starting from one that depends on the backend so that the
	// connections of a pool spread over the chains. NULL when all are taken.
	// The LIMIT stops the scan at the first lock won: the WHERE runs row by
	// row, never on rows after the first match.
	pickSQL = `SELECT current_setting('transaction_isolation'), coalesce(
	nullif(current_setting('anxin.audit_chain', true), '')::int,
	(SELECT c FROM (SELECT (s + pg_backend_pid()) % $2 AS c FROM generate_series(0, $2 - 1) AS s) AS chains
	  WHERE pg_try_advisory_xact_lock((($1::bigint + c) << 32) | 'audit_log'::regclass::oid::bigint)
	  LIMIT 1))`

	// waitSQL waits for one chain when every chain was taken.
	waitSQL = `SELECT pg_advisory_xact_lock((($1::bigint + $2) << 32) | 'audit_log'::regclass::oid::bigint)`

	// Reading the chain's head, remembering the chain for the rest of the
	// transaction and letting jsonb normalize every Before and After in one
	// round trip. This must be a statement after the lock: under READ
	// COMMITTED each statement sees what committed before it started, so
	// the head read here is the one the previous holder of the chain wrote.
	headSQL = `SELECT set_config('anxin.audit_chain', $1::int::text, true),
	(SELECT hash FROM audit_log WHERE chain = $1::int ORDER BY seq DESC LIMIT 1),
	(SELECT array_agg(s::jsonb::text ORDER BY n) FROM unnest($2::text[]) WITH ORDINALITY AS u(s, n))`

	insertColumns = `INSERT INTO audit_log
	(chain, at, actor, action, object_type, object_id, before, after, request_id, prev_hash, hash) VALUES `
	insertRow = `($%d, $%d, $%d, $%d, NULLIF($%d, ''), NULLIF($%d, ''), $%d::jsonb, $%d::jsonb, NULLIF($%d, ''), $%d, $%d)`
)

// Write appends e to the schema's audit_log inside the caller's transaction
// tx (a *sqlx.Tx; a *sqlx.DB is refused with ErrNotInTransaction). The row's
// time is clk.Now() truncated to microseconds, PostgreSQL's precision.
//
// Write appends to one of the schema's Chains hash chains and holds that
// chain, by a transaction-scoped advisory lock, until the transaction ends:
// concurrent writers take other chains and never wait for each other unless
// all chains are held. A transaction's later Writes extend the same chain
// (the chain is remembered in a transaction-local setting, so a transaction
// must write to one schema's trail only, as every service's pool does; a
// second schema's writer would be refused by the chain's unique index, never
// forked).
// Holding a chain costs another writer nothing, but call Write late in the
// transaction all the same.
//
// Use a READ COMMITTED transaction (pg.InTx). Under SERIALIZABLE a writer
// whose snapshot predates another writer's commit fails with a
// serialization failure that pg.InTxOpts retries; under REPEATABLE READ it
// could only fail with an error nobody retries, so Write refuses that level
// with ErrRepeatableRead. An entry without Actor or Action, or whose Before
// or After cannot be marshalled, is refused with ErrInvalidEntry; database
// errors are returned wrapped.
func Write(ctx context.Context, tx sqlx.ExtContext, clk clock.Clock, e Entry) error {
	return WriteAll(ctx, tx, clk, e)
}

// WriteAll appends entries, in order and on one chain, as Write appends
// one, in three round trips whatever their number: a transaction that
// records several changes (a batch of openings) writes them together.
func WriteAll(ctx context.Context, tx sqlx.ExtContext, clk clock.Clock, entries ...Entry) error {
	if _, ok := tx.(*sqlx.DB); ok {
		return ErrNotInTransaction
	}
	if len(entries) == 0 {
		return nil
	}
	states := make([]sql.NullString, 0, 2*len(entries))
	for _, e := range entries {
		if e.Actor == "" || e.Action == "" {
			return fmt.Errorf("%w: actor and action are required", ErrInvalidEntry)
		}
		before, err := marshalState(e.Before)
		if err != nil {
			return fmt.Errorf("%w: before: %w", ErrInvalidEntry, err)
		}
		after, err := marshalState(e.After)
		if err != nil {
			return fmt.Errorf("%w: after: %w", ErrInvalidEntry, err)
		}
		states = append(states, before, after)
	}

	var (
		isolation string
		chain     sql.NullInt64
	)
	if err := tx.QueryRowxContext(ctx, pickSQL, lockSpace, Chains).Scan(&isolation, &chain); err != nil {
		return fmt.Errorf("audit: take a chain: %w", err)
	}
	if isolation == "repeatable read" {
		return ErrRepeatableRead
	}
	if !chain.Valid {
		chain.Int64 = rand.Int64N(Chains) //nolint:gosec // spreading waiters, not a secret
		if _, err := tx.ExecContext(ctx, waitSQL, lockSpace, chain.Int64); err != nil {
			return fmt.Errorf("audit: wait for chain %d: %w", chain.Int64, err)
		}
	}
	var (
		set  string
		prev []byte
		norm []sql.NullString
	)
	if err := tx.QueryRowxContext(ctx, headSQL, chain.Int64, pq.Array(states)).Scan(&set, &prev, pq.Array(&norm)); err != nil {
		return fmt.Errorf("audit: read chain head and normalize state: %w", err)
	}
	if len(norm) != len(states) {
		return fmt.Errorf("audit: normalize state: %d values for %d", len(norm), len(states))
	}

	at := clk.Now().UTC().Truncate(time.Microsecond)
	var (
		b    strings.Builder
		args = make([]any, 0, 11*len(entries))
	)
	b.WriteString(insertColumns)
	for i, e := range entries {
		r := Record{At: at, Actor: e.Actor, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			RequestID: e.RequestID, PrevHash: prev}
		var err error
		if r.Before, err = canonicalNull(norm[2*i]); err != nil {
			return err
		}
		if r.After, err = canonicalNull(norm[2*i+1]); err != nil {
			return err
		}
		r.Hash = r.ComputeHash()
		var prevArg any
		if r.PrevHash != nil {
			prevArg = r.PrevHash
		}
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, insertRow, n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11)
		args = append(args, chain.Int64, r.At, r.Actor, r.Action, r.ObjectType, r.ObjectID,
			nullString(norm[2*i]), nullString(norm[2*i+1]), r.RequestID, prevArg, r.Hash)
		prev = r.Hash
	}
	// A multi-row VALUES draws seq in row order, so the rows' seq order is
	// their chain order, as Verify reads it.
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	return nil
}

// marshalState encodes a Before or After value; nil, or a value that
// encodes as JSON null, is stored as SQL NULL.
func marshalState(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	if string(b) == "null" {
		return sql.NullString{}, nil
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func canonicalNull(s sql.NullString) (json.RawMessage, error) {
	if !s.Valid {
		return nil, nil
	}
	return canonicalJSON([]byte(s.String))
}

func nullString(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}
