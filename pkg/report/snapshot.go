package report

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// InSnapshot runs fn in a read-only REPEATABLE READ transaction: the
// sections of a report read one snapshot, so they agree with each other,
// without the predicate locks a SERIALIZABLE transaction takes on every
// row it reads (thousands for a province's year).
func InSnapshot(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("report snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
