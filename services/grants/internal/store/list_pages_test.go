package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/scaleseed"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// TestCataloguesPageByKey pages through the funds, programmes, rates and
// accounts of a seeded fund history in small pages: every row exactly
// once, in the list's order, the pages together what the table holds; a
// foreign cursor is refused; each query reads its key.
func TestCataloguesPageByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	st := store.New(db, clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
	members := []scaleseed.Member{{ID: "00000000-0000-4000-8000-000000000001", UnitID: "u-1", Name: "甲", Category: "police", Version: 1}}
	if _, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, scaleseed.Size{Applications: 20, LedgerLines: 100, Years: 5}, members, 1); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.Get(&n, q); err != nil {
			t.Fatal(err)
		}
		return n
	}
	collect := func(name string, limit int, list func(p page.Request) ([]string, string, error)) []string {
		t.Helper()
		var keys []string
		seen := map[string]bool{}
		after, pages := "", 0
		for {
			got, next, err := list(page.Request{Limit: limit, After: after})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			pages++
			for _, k := range got {
				if seen[k] {
					t.Fatalf("%s: %s given twice", name, k)
				}
				seen[k] = true
				keys = append(keys, k)
			}
			if next == "" {
				break
			}
			after = next
		}
		if pages < 2 {
			t.Errorf("%s: one page of %d for %d rows", name, limit, len(keys))
		}
		return keys
	}
	funds := collect("funds", 2, func(p page.Request) ([]string, string, error) {
		fs, next, err := st.FundsPage(ctx, p)
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = fmt.Sprint(f.FiscalYear)
		}
		return out, next, err
	})
	if fmt.Sprint(funds) != "[2026 2025 2024 2023 2022]" {
		t.Errorf("funds by year, newest first: %v", funds)
	}
	programs := collect("programmes", 4, func(p page.Request) ([]string, string, error) {
		ps, next, err := st.ProgramsPage(ctx, "", nil, p)
		out := make([]string, len(ps))
		for i, x := range ps {
			out[i] = x.Code + "/" + x.ID
		}
		return out, next, err
	})
	if len(programs) != count(`SELECT count(*) FROM programs`) || len(programs) != 25 {
		t.Errorf("the pages hold %d programmes, want 25", len(programs))
	}
	for i := 1; i < len(programs); i++ {
		if programs[i-1] > programs[i] {
			t.Errorf("programmes out of code order: %s before %s", programs[i-1], programs[i])
		}
	}
	active := true
	if ps, _, err := st.ProgramsPage(ctx, "", &active, page.Request{Limit: 100}); err != nil || len(ps) != 25 {
		t.Errorf("active programmes: %d, err %v", len(ps), err)
	}
	if rates := collect("rates", 1, func(p page.Request) ([]string, string, error) {
		rs, next, err := st.RatesPage(ctx, p)
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = string(r.Kind) + r.ValidFrom.Format(time.DateOnly)
		}
		return out, next, err
	}); len(rates) != count(`SELECT count(*) FROM rates`) {
		t.Errorf("the pages hold %d rates", len(rates))
	}
	if accounts := collect("accounts", 2, func(p page.Request) ([]string, string, error) {
		as, next, err := st.ChartPage(ctx, p)
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.Code
		}
		return out, next, err
	}); len(accounts) != count(`SELECT count(*) FROM accounts WHERE active`) {
		t.Errorf("the pages hold %d accounts", len(accounts))
	}
	if _, _, err := st.ProgramsPage(ctx, "", nil, page.Request{Limit: 2, After: page.Cursor("HS", "not-an-id")}); err == nil {
		t.Error("a foreign programme cursor was accepted")
	}
	if _, _, err := st.RatesPage(ctx, page.Request{Limit: 2, After: page.Cursor("national_income", "yesterday")}); err == nil {
		t.Error("a foreign rate cursor was accepted")
	}

	for name, q := range map[string]func() (string, []any){
		"funds, a later page": func() (string, []any) { return store.FundsQuery(51, 2025) },
		"programmes, a later page": func() (string, []any) {
			return store.ProgramsQuery(51, "", nil, "DD", "00000000-0000-0000-0000-000000000000")
		},
		"rates, a later page":    func() (string, []any) { return store.RatesQuery(51, "national_income", "2020-01-01") },
		"accounts, a later page": func() (string, []any) { return store.AccountsQuery(51, "4001") },
	} {
		sql, args := q()
		pgtest.AssertIndexed(t, db, name, sql, args...)
	}
}
