// Package pg connects a service to its own schema of the shared PostgreSQL
// server through sqlx and lib/pq, applies embedded migrations under an
// advisory lock, and runs transactions that retry the failures PostgreSQL
// asks callers to retry.
package pg

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the PostgreSQL driver registered as "postgres"
)

// Config says how a service reaches its schema.
type Config struct {
	// URL is a libpq URL, e.g. postgres://user@host:5432/anxin?sslmode=disable.
	URL string
	// Schema is the service's own schema; it is created when missing and
	// becomes the connection's search_path (followed by public, where
	// extensions such as btree_gist live).
	Schema string
	// MaxOpenConns caps the pool. Default 20.
	MaxOpenConns int
	// MaxIdleConns keeps warm connections. Default MaxOpenConns: a pool
	// that keeps fewer idle than it opens closes connections after every
	// burst and opens new backends (a fork and authentication each) for
	// the next one, which under steady load meant hundreds per minute.
	MaxIdleConns int
	// ConnMaxIdleTime closes a connection idle that long, so a quiet
	// service gives its backends back. Default 5 minutes.
	ConnMaxIdleTime time.Duration
	// ConnMaxLifetime recycles connections. Default 30 minutes.
	ConnMaxLifetime time.Duration
	// ConnectTimeout bounds the first ping. Default 10 seconds.
	ConnectTimeout time.Duration
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// ValidSchema reports whether s is a schema name Anxin accepts: lower-case
// letters, digits and underscores, as it is spliced into DDL.
func ValidSchema(s string) bool { return schemaName.MatchString(s) }

// ErrUnreachable wraps every failure to reach the server at start.
var ErrUnreachable = errors.New("postgres unreachable")

// Open connects, creates the schema if needed and sets the pool limits.
func Open(ctx context.Context, cfg Config) (*sqlx.DB, error) {
	if !ValidSchema(cfg.Schema) {
		return nil, fmt.Errorf("pg: invalid schema name %q", cfg.Schema)
	}
	dsn, err := URLWithSearchPath(cfg.URL, cfg.Schema)
	if err != nil {
		return nil, err
	}
	if cfg.MaxOpenConns <= 0 {
		cfg.MaxOpenConns = 20
	}
	if cfg.MaxIdleConns <= 0 || cfg.MaxIdleConns > cfg.MaxOpenConns {
		cfg.MaxIdleConns = cfg.MaxOpenConns
	}
	if cfg.ConnMaxIdleTime <= 0 {
		cfg.ConnMaxIdleTime = 5 * time.Minute
	}
	if cfg.ConnMaxLifetime <= 0 {
		cfg.ConnMaxLifetime = 30 * time.Minute
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("pg: open: %w", err)
	}
	db.SetMaxOpenConns(cfg.MaxOpenConns)
	db.SetMaxIdleConns(cfg.MaxIdleConns)
	db.SetConnMaxIdleTime(cfg.ConnMaxIdleTime)
	db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	pctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, Redact(cfg.URL), err)
	}
	// CREATE SCHEMA IF NOT EXISTS races with itself on a unique index when
	// several services start at once; the advisory lock makes it orderly.
	err = InTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7263, 1)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+cfg.Schema)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("pg: create schema %s: %w", cfg.Schema, err)
	}
	return db, nil
}

// Ping reaches the server once, without touching any schema, so a process
// can report an unreachable PostgreSQL before it starts anything else.
func Ping(ctx context.Context, url string) error {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return fmt.Errorf("pg: open: %w", err)
	}
	defer func() { _ = db.Close() }()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("%w at %s: %w", ErrUnreachable, Redact(url), err)
	}
	return nil
}

// URLWithSearchPath adds search_path (schema, then public) to the URL's
// run-time parameters; lib/pq sends unknown parameters to the server at
// connection start, so every connection made from it has it.
func URLWithSearchPath(raw, schema string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("pg: DATABASE_URL must be a postgres:// URL, got %q", Redact(raw))
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	if q.Get("application_name") == "" {
		q.Set("application_name", "anxin-"+schema)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Redact hides the password of a database URL for logs and messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// QuoteIdent quotes an identifier for DDL built from validated names.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
