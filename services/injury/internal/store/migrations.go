package store

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the injury schema's migration set (goose_injury table).
func Migrations() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return pg.MigrationSet{Name: "injury", FS: sub}
}
