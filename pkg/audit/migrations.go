package audit

import (
	"embed"
	"io/fs"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Migrations holds the platform's audit_log migration in goose format, as
// migrations/00001_audit_log.sql. The SQL uses unqualified names, so it
// lands in whatever schema search_path names; MigrationSet hands it to
// pg.Migrate rooted where goose expects it.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// MigrationSet is the audit_log migration as a pg.MigrationSet named
// "audit" (version table goose_audit), for pg.Migrate to apply in every
// service schema.
func MigrationSet() pg.MigrationSet {
	sub, err := fs.Sub(Migrations, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return pg.MigrationSet{Name: "audit", FS: sub}
}
