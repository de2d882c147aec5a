package pg

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// MigrationSet is one numbered series of goose .sql files with its own
// version table, so the platform's tables (outbox, inbox, audit) and a
// service's tables evolve independently in the same schema.
type MigrationSet struct {
	// Name names the version table goose_<Name>.
	Name string
	// FS holds the NNNNN_name.sql files at its root.
	FS fs.FS
}

// Migrate applies every set, in order, to schema, holding a session
// advisory lock keyed by the schema so that replicas starting together
// migrate once and the others wait.
func Migrate(ctx context.Context, db *sqlx.DB, schema string, sets ...MigrationSet) error {
	if !ValidSchema(schema) {
		return fmt.Errorf("pg: invalid schema name %q", schema)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("anxin-migrate:" + schema))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64() >> 1)))
	if err != nil {
		return fmt.Errorf("pg: migration lock: %w", err)
	}
	for _, set := range sets {
		if !ValidSchema(set.Name) {
			return fmt.Errorf("pg: invalid migration set name %q", set.Name)
		}
		store, err := database.NewStore(goose.DialectPostgres, schema+".goose_"+set.Name)
		if err != nil {
			return fmt.Errorf("pg: migration store: %w", err)
		}
		p, err := goose.NewProvider("", db.DB, set.FS,
			goose.WithStore(store),
			goose.WithSessionLocker(locker),
			goose.WithDisableGlobalRegistry(true),
		)
		if err != nil {
			return fmt.Errorf("pg: migrations %s for %s: %w", set.Name, schema, err)
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("pg: migrate %s for %s: %w", set.Name, schema, err)
		}
	}
	return nil
}
