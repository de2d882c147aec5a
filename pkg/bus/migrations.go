package bus

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the platform's migration set that creates the outbox, inbox,
// dead-letter and projection-version tables in a service's schema.
func Migrations() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return pg.MigrationSet{Name: "bus", FS: sub}
}
