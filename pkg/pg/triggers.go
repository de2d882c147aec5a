package pg

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Trigger names a trigger of a table in the transaction's search path.
type Trigger struct{ Table, Name string }

// WithTriggersOff runs fn in tx with the triggers disabled, and enables
// them again when fn succeeds; when fn fails it returns fn's error and the
// caller rolls tx back, which restores them. ALTER TABLE holds its lock on each
// table to the end of tx, so no other transaction ever sees a trigger off:
// it is for bulk loads and their undoing, where what the triggers would
// have done row by row is done in tx another way (a rebuild of the tables
// they keep, a removal the append-only rule forbids to anyone else).
func WithTriggersOff(ctx context.Context, tx *sqlx.Tx, triggers []Trigger, fn func() error) error {
	set := func(how string) error {
		for _, t := range triggers {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+QuoteIdent(t.Table)+` `+how+` TRIGGER `+QuoteIdent(t.Name)); err != nil {
				return fmt.Errorf("%s trigger %s on %s: %w", how, t.Name, t.Table, err)
			}
		}
		return nil
	}
	if err := set("DISABLE"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err // the transaction is rolled back: its ALTERs with it
	}
	return set("ENABLE")
}

// InTxTriggersOff runs fn in a transaction of its own (InTx) with the
// triggers off, as WithTriggersOff does.
func InTxTriggersOff(ctx context.Context, db *sqlx.DB, triggers []Trigger, fn func(tx *sqlx.Tx) error) error {
	return InTx(ctx, db, func(tx *sqlx.Tx) error {
		return WithTriggersOff(ctx, tx, triggers, func() error { return fn(tx) })
	})
}
