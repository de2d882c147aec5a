package idem

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// MigrationSet creates the idempotency_keys table in a service's schema
// (goose table goose_idem); app.NewBase applies it to every service.
func MigrationSet() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return pg.MigrationSet{Name: "idem", FS: sub}
}
