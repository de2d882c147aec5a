package report

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// UnitsArg is the filter's units as a text[] argument of a report's
// statement: NULL (every unit) when All.
func (f Filter) UnitsArg() any {
	if l := f.UnitList(); l != nil {
		return pq.Array(l)
	}
	return nil
}

// ReadSections runs a service's overview statement: one statement whose
// rows are the figures of every section, each tagged with its section, so
// the sections share one round trip and one snapshot (a statement sees
// one) without a transaction around them. Each row is scanned into dest,
// the same destinations for every row (a row's own would escape to the
// heap, an allocation per column and row at province scale), and then
// handed to add, which files it under its section.
func ReadSections(ctx context.Context, db sqlx.QueryerContext, query string, args []any, dest []any, add func() error) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if err := add(); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
