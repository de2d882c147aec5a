package pg

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Copy streams the rows fill emits into table with COPY FROM STDIN inside
// tx: the rows pass every constraint and trigger as INSERTs would (COPY
// fires them), at a fraction of the round trips. It is for bulk loads such
// as `anxin seed scale`; emit's values are in cols order.
func Copy(ctx context.Context, tx *sqlx.Tx, table string, cols []string, fill func(emit func(...any) error) error) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...)) //nolint:sqlclosecheck,staticcheck // closed by the defer below (the linter loses it through fill's closure); CopyIn's quoting is still what this needs (SA1019)
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	defer stmt.Close()
	if err := fill(func(v ...any) error {
		_, err := stmt.ExecContext(ctx, v...)
		return err
	}); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}
