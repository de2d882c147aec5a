package carestore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// pageAll follows a list's next cursors from the first page to the last
// and returns every id it was given, failing on an id given twice.
func pageAll(t *testing.T, name string, limit int, list func(p page.Request) ([]string, string, error)) []string {
	t.Helper()
	var (
		ids   []string
		seen  = map[string]bool{}
		after string
		pages int
	)
	for {
		got, next, err := list(page.Request{Limit: limit, After: after})
		if err != nil {
			t.Fatalf("%s, page %d: %v", name, pages+1, err)
		}
		pages++
		for _, id := range got {
			if seen[id] {
				t.Fatalf("%s: %s given twice (page %d)", name, id, pages)
			}
			seen[id] = true
			ids = append(ids, id)
		}
		if next == "" {
			break
		}
		if len(got) != limit {
			t.Fatalf("%s: page %d has %d rows and a next cursor", name, pages, len(got))
		}
		after = next
	}
	if pages < 2 && len(ids) > limit {
		t.Fatalf("%s: %d rows in one page of %d", name, len(ids), limit)
	}
	return ids
}

// TestCareListsPageByKey seeds a province's leave (1,500 members, five
// years) and pages through every care list in small pages: each row comes
// exactly once, the pages together hold what the table holds, and each
// list's query reads an index in its order (no sequential scan of, nor
// sort over, a table of realistic size).
func TestCareListsPageByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.clk.Set(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	var members []store.ScaleMember
	for i := range 1500 {
		members = append(members, store.ScaleMember{ID: fmt.Sprintf("m-%04d", i), UnitID: fmt.Sprintf("unit-%02d", i%30), Name: fmt.Sprintf("成员%d", i),
			Category: "police", Frontline: i%3 == 0, Active: true, WorkStart: time.Date(1995+i%25, 7, 1, 0, 0, 0, 0, time.UTC),
			JoinedOn: time.Date(1995+i%25, 7, 1, 0, 0, 0, 0, time.UTC), Version: 1})
	}
	if _, err := f.s.SeedScale(ctx, store.ScaleSize{Years: 5}, members, 3); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := f.db.Get(&n, q, args...); err != nil {
			t.Fatal(err)
		}
		return n
	}
	units := []string{"unit-03", "unit-07", "unit-11"}
	var round string
	if err := f.db.Get(&round, `SELECT id FROM health_check_rounds WHERE unit_id = 'unit-03' AND year = 2025`); err != nil {
		t.Fatal(err)
	}
	var session string
	if err := f.db.Get(&session, `SELECT session_id FROM recuperation_bookings GROUP BY session_id ORDER BY count(*) DESC, session_id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		limit int
		want  int
		list  func(p page.Request) ([]string, string, error)
	}{
		{"facilities", 3, count(`SELECT count(*) FROM facilities`), func(p page.Request) ([]string, string, error) {
			fs, next, err := f.care.Facilities(ctx, p)
			ids := make([]string, len(fs))
			for i, x := range fs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"stays since 2023", 7, count(`SELECT count(*) FROM recuperation_sessions WHERE from_date >= '2023-01-01'`), func(p page.Request) ([]string, string, error) {
			ss, next, err := f.care.Sessions(ctx, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), p)
			ids := make([]string, len(ss))
			for i, x := range ss {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"quotas of 2025", 7, 30, func(p page.Request) ([]string, string, error) {
			qs, next, err := f.care.Quotas(ctx, 2025, nil, p)
			ids := make([]string, len(qs))
			for i, x := range qs {
				ids[i] = x.UnitID
			}
			return ids, next, err
		}},
		{"bookings of three units", 25, count(`SELECT count(*) FROM recuperation_bookings WHERE unit_id = ANY($1)`, pq.Array(units)), func(p page.Request) ([]string, string, error) {
			bs, next, err := f.care.Bookings(ctx, carestore.BookingFilter{Units: units, Page: p})
			ids := make([]string, len(bs))
			for i, x := range bs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"bookings of one stay", 9, count(`SELECT count(*) FROM recuperation_bookings WHERE session_id = $1`, session), func(p page.Request) ([]string, string, error) {
			bs, next, err := f.care.Bookings(ctx, carestore.BookingFilter{SessionID: session, Page: p})
			ids := make([]string, len(bs))
			for i, x := range bs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"rounds of 2026", 8, 30, func(p page.Request) ([]string, string, error) {
			rs, next, err := f.care.Rounds(ctx, 2026, nil, p)
			ids := make([]string, len(rs))
			for i, x := range rs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"slots of a round", 1, count(`SELECT count(*) FROM health_check_slots WHERE round_id = $1`, round), func(p page.Request) ([]string, string, error) {
			ss, next, err := f.care.Slots(ctx, round, p)
			ids := make([]string, len(ss))
			for i, x := range ss {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"checks of three units", 100, count(`SELECT count(*) FROM health_check_bookings WHERE unit_id = ANY($1)`, pq.Array(units)), func(p page.Request) ([]string, string, error) {
			cs, next, err := f.care.Checks(ctx, carestore.CheckFilter{Units: units, Page: p})
			ids := make([]string, len(cs))
			for i, x := range cs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
		{"checks of a round", 11, count(`SELECT count(*) FROM health_check_bookings WHERE round_id = $1`, round), func(p page.Request) ([]string, string, error) {
			cs, next, err := f.care.Checks(ctx, carestore.CheckFilter{RoundID: round, Page: p})
			ids := make([]string, len(cs))
			for i, x := range cs {
				ids[i] = x.ID
			}
			return ids, next, err
		}},
	} {
		if c.want <= c.limit {
			t.Fatalf("%s: %d rows do not make two pages of %d", c.name, c.want, c.limit)
		}
		if got := pageAll(t, c.name, c.limit, c.list); len(got) != c.want {
			t.Errorf("%s: the pages hold %d rows, the table %d", c.name, len(got), c.want)
		}
	}

	// A cursor that is not ours is refused naming the field.
	if _, _, err := f.care.Checks(ctx, carestore.CheckFilter{Page: page.Request{Limit: 5, After: page.Cursor("x", "y")}}); err == nil {
		t.Error("a foreign cursor was accepted")
	}

	// The queries read indexes: health-check bookings and the ledger
	// are past 10,000 rows here.
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	id := "00000000-0000-0000-0000-000000000000"
	for name, q := range map[string]func() (string, []any){
		"checks, first page":   func() (string, []any) { return carestore.ChecksQuery(carestore.CheckFilter{}, 51, nil, "") },
		"checks, a later page": func() (string, []any) { return carestore.ChecksQuery(carestore.CheckFilter{}, 51, &at, id) },
		"checks of a round, later page": func() (string, []any) {
			return carestore.ChecksQuery(carestore.CheckFilter{RoundID: round}, 51, &at, id)
		},
		"checks of a member": func() (string, []any) {
			return carestore.ChecksQuery(carestore.CheckFilter{MemberID: "m-0007"}, 51, nil, "")
		},
		"bookings, a later page": func() (string, []any) {
			return carestore.BookingsQuery(carestore.BookingFilter{}, 51, &carestore.BookingKey{Session: session, Priority: 20, At: at, ID: id})
		},
		"stays, a later page":    func() (string, []any) { return carestore.SessionsQuery(51, "2022-01-01", "2024-03-01", id) },
		"slots, a later page":    func() (string, []any) { return carestore.SlotsQuery(51, round, &at, id) },
		"rounds, a later page":   func() (string, []any) { return carestore.RoundsQuery(51, 2025, nil, "unit-10") },
		"quotas, a later page":   func() (string, []any) { return carestore.QuotasQuery(51, 2025, nil, "unit-10") },
		"facilities, later page": func() (string, []any) { return carestore.FacilitiesQuery(51, true, "千岛湖", id) },
	} {
		sql, args := q()
		pgtest.AssertIndexed(t, f.db, name, sql, args...)
	}
}
