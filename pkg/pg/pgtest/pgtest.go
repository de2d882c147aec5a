// Package pgtest gives integration tests a fresh PostgreSQL schema or
// database of their own on the server named by ANXIN_TEST_DATABASE_URL,
// which `make test` sets to the project's own cluster.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// EnvURL names the variable holding the test server's URL.
const EnvURL = "ANXIN_TEST_DATABASE_URL"

// URL returns the test server's URL or fails the test: an integration test
// that silently skips would pass without testing anything.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, which starts the project's own PostgreSQL, or point it at a server", EnvURL)
	}
	return u
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Schema is a fresh schema with the platform tables (outbox, inbox, dead
// letters, projection versions, audit log) and the given migration sets.
type Schema struct {
	DB     *sqlx.DB
	Name   string
	URL    string // the server URL (without search_path)
	Config pg.Config
}

// NewSchema creates the schema, migrates it, and drops it when the test
// ends.
func NewSchema(t testing.TB, sets ...pg.MigrationSet) *Schema {
	t.Helper()
	base := URL(t)
	name := randomName("t_")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := pg.Config{URL: base, Schema: name, MaxOpenConns: 30}
	db, err := pg.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(func() {
		_ = db.Close()
		admin, err := sqlx.Open("postgres", base)
		if err == nil {
			_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`)
			_ = admin.Close()
		}
	})
	all := append([]pg.MigrationSet{bus.Migrations(), audit.MigrationSet()}, sets...)
	if err := pg.Migrate(ctx, db, name, all...); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return &Schema{DB: db, Name: name, URL: base, Config: cfg}
}

// New is NewSchema returning only the handle.
func New(t testing.TB, sets ...pg.MigrationSet) *sqlx.DB {
	t.Helper()
	return NewSchema(t, sets...).DB
}

// NewDatabase creates an empty database for a test that needs several
// schemas (a whole system in one process), dropping it at the end. It
// returns the database's URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := URL(t)
	name := randomName("anxin_t_")
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		_ = admin.Close()
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
