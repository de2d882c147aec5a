package accounts_test

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/gateway/internal/store"
)

// newTestDB is a fresh schema with the platform's and the gateway's tables.
func newTestDB(t *testing.T) *sqlx.DB { return pgtest.New(t, store.Migrations()) }
