// Package audit keeps the audit trail of a service: an append-only,
// hash-chained audit_log table in the service's own schema, written inside
// the same transaction as the change it records, so a change and its audit
// row commit or roll back together.
//
// Append-only is enforced twice. A trigger refuses UPDATE, DELETE and
// TRUNCATE for every role; and each row stores the SHA-256 of its content
// and of the previous row's hash, so a row changed, inserted or removed by
// someone able to bypass the trigger (a superuser) breaks the chain, which
// Verify finds. What the chain cannot show on its own is the removal of the
// newest rows; Report.Head is the value to copy somewhere else from time to
// time (an export, a log) so that can be checked too.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

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

// lockSpace is the upper half of the advisory lock key Write takes; the
// lower half is the audit_log table's oid. Keying by the table that
// 'audit_log' resolves to through search_path locks exactly the chain the
// insert extends: one lock per service schema, no hashing, no collisions
// between schemas.
const lockSpace = 0x61756474 // "audt"

const (
	lockSQL = `SELECT current_setting('transaction_isolation')
FROM pg_advisory_xact_lock(($1::bigint << 32) | 'audit_log'::regclass::oid::bigint)`

	// Reading the chain's head and letting jsonb normalize Before and After
	// in one round trip. This must be a statement after the lock: under READ
	// COMMITTED each statement sees what committed before it started, so
	// the head read here is the one the previous lock holder wrote.
	headSQL = `SELECT (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), $1::jsonb::text, $2::jsonb::text`

	insertSQL = `INSERT INTO audit_log
	(at, actor, action, object_type, object_id, before, after, request_id, prev_hash, hash)
VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6::jsonb, $7::jsonb, NULLIF($8, ''), $9, $10)`
)

// Write appends e to the schema's audit_log inside the caller's transaction
// tx (a *sqlx.Tx; a *sqlx.DB is refused with ErrNotInTransaction). The row's
// time is clk.Now() truncated to microseconds, PostgreSQL's precision.
//
// Write takes a transaction-scoped advisory lock on the schema's chain, so
// concurrent writers of one schema queue from their Write until they commit
// or roll back; call it as the last statement of the transaction to keep
// that queue short. Writers of other schemas never wait.
//
// Use a READ COMMITTED transaction (pg.InTx). Under SERIALIZABLE a writer
// whose snapshot predates another writer's commit fails with a
// serialization failure that pg.InTxOpts retries; under REPEATABLE READ it
// could only fail with an error nobody retries, so Write refuses that level
// with ErrRepeatableRead. An entry without Actor or Action, or whose Before
// or After cannot be marshalled, is refused with ErrInvalidEntry; database
// errors are returned wrapped.
func Write(ctx context.Context, tx sqlx.ExtContext, clk clock.Clock, e Entry) error {
	if _, ok := tx.(*sqlx.DB); ok {
		return ErrNotInTransaction
	}
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

	var isolation string
	if err := tx.QueryRowxContext(ctx, lockSQL, lockSpace).Scan(&isolation); err != nil {
		return fmt.Errorf("audit: lock chain: %w", err)
	}
	if isolation == "repeatable read" {
		return ErrRepeatableRead
	}
	r := Record{
		At:         clk.Now().UTC().Truncate(time.Microsecond),
		Actor:      e.Actor,
		Action:     e.Action,
		ObjectType: e.ObjectType,
		ObjectID:   e.ObjectID,
		RequestID:  e.RequestID,
	}
	var normBefore, normAfter sql.NullString
	if err := tx.QueryRowxContext(ctx, headSQL, before, after).Scan(&r.PrevHash, &normBefore, &normAfter); err != nil {
		return fmt.Errorf("audit: read chain head and normalize state: %w", err)
	}
	if r.Before, err = canonicalNull(normBefore); err != nil {
		return err
	}
	if r.After, err = canonicalNull(normAfter); err != nil {
		return err
	}
	r.Hash = r.ComputeHash()

	var prev any
	if r.PrevHash != nil {
		prev = r.PrevHash
	}
	if _, err := tx.ExecContext(ctx, insertSQL,
		r.At, r.Actor, r.Action, r.ObjectType, r.ObjectID,
		nullString(normBefore), nullString(normAfter), r.RequestID, prev, r.Hash,
	); err != nil {
		return fmt.Errorf("audit: insert: %w", err)
	}
	return nil
}

// marshalState encodes a Before or After value; nil, or a value that
// encodes as JSON null, is stored as SQL NULL.
func marshalState(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return nil, nil
	}
	return string(b), nil
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
