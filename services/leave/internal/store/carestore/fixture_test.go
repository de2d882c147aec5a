package carestore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/leave/internal/commands"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a fresh leave schema at 1 March 2026 10:00 in Shanghai, with
// the leave store (the member projection, the scale seed) and the care
// store over it.
type fixture struct {
	db   *sqlx.DB
	clk  *clock.Fake
	s    *store.Store
	care *carestore.Store
	// cmd runs the commands over the stores, as the HTTP layer does.
	cmd *commands.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	key := func(b byte) []byte {
		k := make([]byte, sealed.KeySize)
		for i := range k {
			k[i] = b + byte(i)
		}
		return k
	}
	sealer, err := sealed.New(key(1), key(101))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, clk: clk, s: store.New(db, clk, domain.DefaultPolicy(), domain.DefaultPriorityPolicy(), sealer), care: carestore.New(db, clk, sealer)}
	f.cmd = commands.New(f.s, f.care, clk)
	return f
}

// member projects a member as a member.* event would.
func (f *fixture) member(t *testing.T, id, unit string, cat domain.Category, start string) domain.Member {
	t.Helper()
	m := domain.Member{ID: id, UnitID: unit, Category: cat, Status: domain.MemberActive, WorkStart: d(start), JoinedOn: d(start)}
	if err := pg.InTx(context.Background(), f.db, func(tx *sqlx.Tx) error { return f.s.UpsertMember(context.Background(), tx, m) }); err != nil {
		t.Fatalf("member %s: %v", id, err)
	}
	return m
}
