// Package store keeps the gateway's users, sessions and sign-in attempts in
// PostgreSQL through sqlx, mapping private row structs to the domain's
// types. Every change to a user writes its audit row in the same
// transaction.
package store

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the gateway's schema as a pg.MigrationSet named "gateway".
func Migrations() pg.MigrationSet {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return pg.MigrationSet{Name: "gateway", FS: sub}
}
