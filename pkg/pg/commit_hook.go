package pg

import (
	"context"

	"github.com/jmoiron/sqlx"
)

type beforeCommitKey struct{}

// BeforeCommit is run by InTx inside the transaction, after fn succeeded and
// just before COMMIT. An error rolls the transaction back and is returned by
// InTx (it is not retried unless IsRetryable).
type BeforeCommit func(ctx context.Context, tx *sqlx.Tx) error

// WithBeforeCommit returns a context whose read-write InTx transactions run
// hook just before they commit. pkg/idem uses it to mark an idempotency key
// as spent in the same transaction as the effect the request caused, so a
// crash can never leave an effect without its key (or a key without its
// effect). Hooks nest: the innermost runs first.
func WithBeforeCommit(ctx context.Context, hook BeforeCommit) context.Context {
	if prev, ok := ctx.Value(beforeCommitKey{}).(BeforeCommit); ok {
		next := hook
		hook = func(ctx context.Context, tx *sqlx.Tx) error {
			if err := next(ctx, tx); err != nil {
				return err
			}
			return prev(ctx, tx)
		}
	}
	return context.WithValue(ctx, beforeCommitKey{}, hook)
}

func runBeforeCommit(ctx context.Context, o TxOptions, tx *sqlx.Tx) error {
	if o.ReadOnly {
		return nil
	}
	if hook, ok := ctx.Value(beforeCommitKey{}).(BeforeCommit); ok {
		return hook(ctx, tx)
	}
	return nil
}

// BeforeCommitOf is the hook ctx carries, or nil. Work that a request hands
// to a worker running on another context (a batch) takes the request's hook
// along and runs it in the transaction that holds the request's effect.
func BeforeCommitOf(ctx context.Context) BeforeCommit {
	hook, _ := ctx.Value(beforeCommitKey{}).(BeforeCommit)
	return hook
}
