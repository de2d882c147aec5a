package audit

import "errors"

// Errors Write returns before touching the database.
var (
	// ErrNotInTransaction means Write was given a *sqlx.DB. The chain lock
	// is a transaction lock and the audit row must commit or roll back with
	// the change it records, so Write needs the caller's *sqlx.Tx.
	ErrNotInTransaction = errors.New("audit: Write must run inside the caller's transaction")
	// ErrRepeatableRead means the transaction is REPEATABLE READ: its
	// snapshot can predate the newest audit row, so the row Write would add
	// could not follow it. Use READ COMMITTED (or SERIALIZABLE, which
	// detects the conflict and is retried by pg.InTxOpts).
	ErrRepeatableRead = errors.New("audit: Write cannot run in a REPEATABLE READ transaction")
	// ErrInvalidEntry means an Entry lacks its actor or action, or its
	// Before or After cannot be encoded as JSON.
	ErrInvalidEntry = errors.New("audit: invalid entry")
)
