package pgtest

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Rows reads every row of each table (in db's search path) as text, in
// order: a table's content to compare before and after a rebuild.
func Rows(t testing.TB, db *sqlx.DB, tables ...string) map[string][]string {
	t.Helper()
	out := make(map[string][]string, len(tables))
	for _, table := range tables {
		var rows []string
		if err := db.Select(&rows, `SELECT r::text FROM `+pg.QuoteIdent(table)+` r ORDER BY 1`); err != nil {
			t.Fatalf("rows of %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// DisabledTriggers are the triggers of the current schema's tables that
// are not enabled: what a bulk load that turned some off must leave empty.
func DisabledTriggers(t testing.TB, db *sqlx.DB) []string {
	t.Helper()
	var names []string
	if err := db.Select(&names, `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'
		AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace) ORDER BY 1`); err != nil {
		t.Fatalf("disabled triggers: %v", err)
	}
	return names
}
