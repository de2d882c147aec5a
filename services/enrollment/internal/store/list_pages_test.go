package store_test

import (
	"context"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// TestCataloguesPageByKey pages through the unit tree and the plans in
// small pages: each comes exactly once, parents before children and the
// newest year first, as the unpaged lists had them, and a foreign cursor
// is refused naming the field. The queries read their indexes.
func TestCataloguesPageByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	st := store.New(db, newSealer(t), clock.NewFake(now))
	if _, err := st.SeedScale(ctx, store.ScaleSize{Units: 40, Members: 50, Years: 6}, 5, now); err != nil {
		t.Fatal(err)
	}
	whole, err := st.ListUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var units []domain.Unit
	for after, pages := "", 0; ; pages++ {
		got, next, err := st.Units(ctx, page.Request{Limit: 7, After: after})
		if err != nil {
			t.Fatal(err)
		}
		units = append(units, got...)
		if next == "" {
			if pages < 5 {
				t.Errorf("41 units in %d pages of 7", pages+1)
			}
			break
		}
		after = next
	}
	if len(units) != len(whole) || len(units) != 41 {
		t.Fatalf("the pages hold %d units, the tree %d", len(units), len(whole))
	}
	for i := range units {
		if units[i].ID != whole[i].ID {
			t.Fatalf("unit %d: the pages give %s, the tree %s", i, units[i].Code, whole[i].Code)
		}
	}

	var plans []domain.Plan
	for after := ""; ; {
		got, next, err := st.Plans(ctx, 0, "", page.Request{Limit: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, got...)
		if next == "" {
			break
		}
		after = next
	}
	seen := map[string]bool{}
	for i, p := range plans {
		if seen[p.ID] {
			t.Fatalf("plan %s given twice", p.ID)
		}
		seen[p.ID] = true
		if i > 0 && (plans[i-1].Year < p.Year || plans[i-1].Year == p.Year && plans[i-1].Scheme > p.Scheme) {
			t.Errorf("plans out of order at %d: %d %s after %d %s", i, p.Year, p.Scheme, plans[i-1].Year, plans[i-1].Scheme)
		}
	}
	if len(plans) != 12 {
		t.Errorf("the pages hold %d plans, want 12 (two schemes, six years)", len(plans))
	}
	if got, _, err := st.Plans(ctx, now.Year(), domain.SchemeCode("work_injury"), page.Request{Limit: 5}); err != nil || len(got) != 1 {
		t.Errorf("this year's work-injury plans: %d, err %v", len(got), err)
	}
	if _, _, err := st.Units(ctx, page.Request{Limit: 5, After: page.Cursor("x")}); err == nil {
		t.Error("a foreign unit cursor was accepted")
	}
	if _, _, err := st.Plans(ctx, 0, "", page.Request{Limit: 5, After: page.Cursor(2026, "a", "b", "not-a-uuid")}); err == nil {
		t.Error("a foreign plan cursor was accepted")
	}

	q, args := store.UnitsQuery(51, 2, "S0010")
	pgtest.AssertIndexed(t, db, "units, a later page", q, args...)
	q, args = store.PlansQuery(51, 0, "", &store.PlanKey{Year: 2025, Scheme: "work_injury", Name: "x", ID: "00000000-0000-0000-0000-000000000000"})
	pgtest.AssertIndexed(t, db, "plans, a later page", q, args...)
}
