// Package store keeps the notify service's state in PostgreSQL through
// sqlx: raw SQL with $n placeholders, private row structs mapped to domain
// types, and every change with its audit row and events in one transaction.
package store

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the notify schema's migration set.
func Migrations() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory exists at compile time
	}
	return pg.MigrationSet{Name: "notify", FS: sub}
}
