package pg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// MaxAttempts is how many times InTx runs a transaction that keeps failing
// with a serialization failure or a deadlock before giving up.
const MaxAttempts = 5

// TxOptions tunes InTxOpts.
type TxOptions struct {
	// Isolation defaults to READ COMMITTED.
	Serializable bool
	ReadOnly     bool
	// Attempts overrides MaxAttempts when positive.
	Attempts int
}

// InTx runs fn in a READ COMMITTED transaction, committing when fn returns
// nil and rolling back otherwise. A serialization failure (40001) or a
// deadlock (40P01) reruns fn from the start, up to MaxAttempts times, with a
// short jittered back-off; fn must therefore have no effects outside tx.
//
// A broken connection (a backend terminated, the server restarting: see
// IsTransient) before the commit is sent reruns fn too, on a new
// connection, after a longer back-off: the transaction cannot have
// committed, so running it again is safe. A connection lost while
// committing is never rerun, since the commit may have happened; its error
// is ErrCommitUnknown (and IsTransient), for the caller to answer 503.
func InTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	return InTxOpts(ctx, db, TxOptions{}, fn)
}

// InTxOpts is InTx with options.
func InTxOpts(ctx context.Context, db *sqlx.DB, o TxOptions, fn func(tx *sqlx.Tx) error) error {
	attempts := o.Attempts
	if attempts <= 0 {
		attempts = MaxAttempts
	}
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			backoff := time.Duration(1<<i)*time.Millisecond + time.Duration(rand.IntN(5))*time.Millisecond //nolint:gosec // jitter needs no cryptographic randomness
			if !IsRetryable(err) {
				// A lost connection: give the server (or its failover)
				// time to come back: 100, 200, 400, 800 ms.
				backoff = time.Duration(50<<i)*time.Millisecond + time.Duration(rand.IntN(20))*time.Millisecond //nolint:gosec // jitter
			}
			select {
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			case <-time.After(backoff):
			}
		}
		err = runTx(ctx, db, o, fn)
		if err == nil || !safeToRerun(ctx, err) {
			return err
		}
	}
	return fmt.Errorf("pg: gave up after %d attempts: %w", attempts, err)
}

func runTx(ctx context.Context, db *sqlx.DB, o TxOptions, fn func(tx *sqlx.Tx) error) (err error) {
	opts := &sqlTxOptions{ReadOnly: o.ReadOnly}
	if o.Serializable {
		opts.Isolation = levelSerializable
	}
	tx, err := Begin(ctx, db, opts)
	if err != nil {
		return fmt.Errorf("pg: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = Rollback(tx)
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = Rollback(tx)
		return err
	}
	if err := runBeforeCommit(ctx, o, tx); err != nil {
		_ = Rollback(tx)
		return err
	}
	if err := Commit(tx); err != nil {
		if IsTransient(err) && !IsRetryable(err) {
			return fmt.Errorf("pg: commit: %w: %w", ErrCommitUnknown, err)
		}
		return fmt.Errorf("pg: commit: %w", err)
	}
	return nil
}

// ErrCommitUnknown marks a transaction whose connection broke while it
// committed: it may or may not have committed, so it is not rerun.
var ErrCommitUnknown = errors.New("connection lost during commit; the outcome is unknown")

// safeToRerun reports an error after which InTx may run the transaction
// again: a serialization failure or deadlock, or a connection that broke
// before the commit was sent. Never when ctx has ended.
func safeToRerun(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, ErrCommitUnknown) {
		return false
	}
	return IsRetryable(err) || IsTransient(err)
}

// Code returns the SQLSTATE of a PostgreSQL error anywhere in err's chain.
func Code(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return ""
}

// Constraint returns the constraint name of a PostgreSQL error, if any.
func Constraint(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Constraint
	}
	return ""
}

// IsRetryable reports a serialization failure or a deadlock.
func IsRetryable(err error) bool {
	c := Code(err)
	return c == "40001" || c == "40P01"
}

// IsUniqueViolation reports SQLSTATE 23505.
func IsUniqueViolation(err error) bool { return Code(err) == "23505" }

// IsExclusionViolation reports SQLSTATE 23P01 (an exclusion constraint,
// such as overlapping date ranges).
func IsExclusionViolation(err error) bool { return Code(err) == "23P01" }

// IsCheckViolation reports SQLSTATE 23514.
func IsCheckViolation(err error) bool { return Code(err) == "23514" }

// IsForeignKeyViolation reports SQLSTATE 23503.
func IsForeignKeyViolation(err error) bool { return Code(err) == "23503" }

// IsRaisedException reports SQLSTATE P0001, raised by Anxin's own triggers.
func IsRaisedException(err error) bool { return Code(err) == "P0001" }

// IsTransient reports a failure of the connection or the server rather than
// of the statement: a lost or killed connection, a server shutting down or
// refusing connections, a serialization failure or deadlock. Retrying
// later can succeed; an HTTP answer is 503 with Retry-After, not 500.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if IsRetryable(err) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, sql.ErrTxDone) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	c := Code(err)
	return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03" || c == "53300"
}
