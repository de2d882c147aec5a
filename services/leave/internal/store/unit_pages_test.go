package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
	"github.com/anxin-welfare/anxin/services/leave/internal/store/carestore"
)

// TestMemberAndUnitListsPageByKey seeds a province's leave (1,500 members
// in 30 units, five years), then 20,000 more members in 300 units and a
// year's injury leave for each, and pages through a member's injury leave,
// a unit's balances and the compliance report in small pages: each row
// comes exactly once, in order, the pages together give what one large
// page gives, and a member joining a unit ahead of the cursor during the
// walk moves nothing. Each list reads an index in its order.
func TestMemberAndUnitListsPageByKey(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("fills 40,000 rows")
	}
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
	if _, err := f.db.Exec(`
INSERT INTO members (member_id, unit_id, name, category, status, work_start, joined_on, updated_at)
	SELECT 'x-' || lpad(i::text, 6, '0'), 'zunit-' || lpad((i % 300)::text, 3, '0'), '成员' || i, 'police', 'active',
		date '2000-07-01', date '2000-07-01', now()
	FROM generate_series(1, 20000) i;
INSERT INTO injury_leaves (case_id, member_id, from_date, to_date, updated_at)
	SELECT 'case-' || i, 'x-' || lpad(i::text, 6, '0'), date '2024-01-01' + i % 300, date '2024-03-01' + i % 300, now()
	FROM generate_series(1, 20000) i;
INSERT INTO injury_leaves (case_id, member_id, from_date, to_date, updated_at)
	SELECT 'case-m7-' || y, 'm-0007', make_date(y, 5, 1), make_date(y, 6, 30), now() FROM generate_series(2010, 2021) y;
ANALYZE members; ANALYZE injury_leaves;`); err != nil {
		t.Fatal(err)
	}

	// A member's injury leave: twelve periods, earliest first.
	var leaves []domain.InjuryLeave
	for after := ""; ; {
		got, next, err := f.s.InjuryLeaves(ctx, "m-0007", page.Request{Limit: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, got...)
		if next == "" {
			break
		}
		after = next
	}
	if len(leaves) != 12 {
		t.Fatalf("%d injury leave periods over the pages, want 12", len(leaves))
	}
	for i, l := range leaves {
		if l.From.Year() != 2010+i || l.CaseID != fmt.Sprintf("case-m7-%d", 2010+i) {
			t.Errorf("period %d starts %s (%s): each once, earliest first", i, l.From.Format(time.DateOnly), l.CaseID)
		}
	}

	// A unit's balances: its 50 members by id, each agreeing with the
	// member's own balance; one joining ahead of the cursor mid-walk is
	// not shown and shifts nothing.
	var got []domain.Balance
	for after, pages := "", 0; ; pages++ {
		bs, next, err := f.s.UnitBalances(ctx, "unit-03", 2026, page.Request{Limit: 7, After: after})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, bs...)
		if pages == 1 {
			if _, err := f.db.Exec(`INSERT INTO members (member_id, unit_id, name, category, status, updated_at) VALUES ('m-0000a', 'unit-03', '新成员', 'police', 'active', now())`); err != nil {
				t.Fatal(err)
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	if len(got) != 50 {
		t.Fatalf("%d balances over the pages of unit-03, want its 50 members", len(got))
	}
	for i, b := range got {
		if i > 0 && got[i-1].MemberID >= b.MemberID {
			t.Fatalf("balance %d of %s after %s: each once, by member", i, b.MemberID, got[i-1].MemberID)
		}
	}
	one, err := f.s.Balance(ctx, got[17].MemberID, 2026)
	if err != nil || one.Balance != got[17] {
		t.Errorf("the unit's page says %+v, the member's balance %+v (%v)", got[17], one.Balance, err)
	}

	// The compliance report: the pages of 7 units give what one page of
	// every unit gives.
	whole, next, err := f.care.Compliance(ctx, 2026, nil, page.Request{Limit: 500})
	if err != nil || next != "" || len(whole) != 330 {
		t.Fatalf("every unit in one page: %d units, next %q, %v", len(whole), next, err)
	}
	var paged []domain.Compliance
	for after, pages := "", 0; ; pages++ {
		cs, next, err := f.care.Compliance(ctx, 2026, nil, page.Request{Limit: 7, After: after})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, cs...)
		if next == "" {
			if pages < 40 {
				t.Errorf("330 units in %d pages of 7", pages+1)
			}
			break
		}
		after = next
	}
	if !reflect.DeepEqual(paged, whole) {
		t.Errorf("the pages of 7 differ from one page of every unit: %d against %d units", len(paged), len(whole))
	}
	if cs, _, err := f.care.Compliance(ctx, 2026, []string{"unit-03", "zunit-007"}, page.Request{Limit: 1}); err != nil || len(cs) != 1 || cs[0].UnitID != "unit-03" || cs[0].Active != 51 {
		t.Errorf("two units, a page of one: %+v %v", cs, err)
	}

	// The home page's care: the member's latest checks and stays, newest
	// first, each with its slot's time or its stay's dates and facility,
	// the same bookings the care lists give.
	var member string
	if err := f.db.Get(&member, `SELECT member_id FROM recuperation_bookings GROUP BY member_id HAVING count(*) > 1
		AND member_id IN (SELECT member_id FROM health_check_bookings GROUP BY member_id HAVING count(*) > 2) ORDER BY member_id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	checks, stays, err := f.care.MyCare(ctx, member, 2)
	if err != nil || len(checks) != 2 || len(stays) != 2 {
		t.Fatalf("my care of %s: %d checks, %d stays, %v", member, len(checks), len(stays), err)
	}
	allChecks, _, err := f.care.Checks(ctx, carestore.CheckFilter{MemberID: member, Page: page.Request{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	newest := allChecks[len(allChecks)-1]
	for _, c := range allChecks {
		if c.Year > newest.Year {
			newest = c
		}
	}
	if checks[0].Year != newest.Year || checks[0].Year < checks[1].Year || checks[0].StartsAt.IsZero() {
		t.Errorf("latest check %+v, want one of %d with its slot's time", checks[0], newest.Year)
	}
	var startsAt time.Time
	if err := f.db.Get(&startsAt, `SELECT starts_at FROM health_check_slots WHERE id = $1`, checks[0].SlotID); err != nil || !startsAt.Equal(checks[0].StartsAt) {
		t.Errorf("slot time %s, my care says %s (%v)", startsAt, checks[0].StartsAt, err)
	}
	allStays, _, err := f.care.Bookings(ctx, carestore.BookingFilter{MemberID: member, Page: page.Request{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range allStays {
		if b.RequestedAt.After(stays[0].RequestedAt) {
			t.Errorf("stay %s asked for at %s is later than my care's latest %s", b.ID, b.RequestedAt, stays[0].RequestedAt)
		}
	}
	var from time.Time
	var facility string
	if err := f.db.QueryRow(`SELECT rs.from_date, f.name FROM recuperation_sessions rs JOIN facilities f ON f.id = rs.facility_id WHERE rs.id = $1`,
		stays[0].SessionID).Scan(&from, &facility); err != nil || !from.Equal(stays[0].From) || facility != stays[0].Facility {
		t.Errorf("stay %+v, its session starts %s at %s (%v)", stays[0], from, facility, err)
	}

	if _, _, err := f.s.InjuryLeaves(ctx, "m-0007", page.Request{Limit: 5, After: page.Cursor("x")}); err == nil {
		t.Error("a foreign injury-leave cursor was accepted")
	}
	if _, _, err := f.s.UnitBalances(ctx, "unit-03", 2026, page.Request{Limit: 5, After: page.Cursor(1, 2)}); err == nil {
		t.Error("a foreign balance cursor was accepted")
	}

	for name, q := range map[string]func() (string, []any){
		"injury leave, a later page": func() (string, []any) {
			return store.InjuryLeavesQuery(51, "x-000123", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "case-1")
		},
		"a unit's members, a later page": func() (string, []any) { return store.UnitMembersQuery(51, "zunit-007", "x-000100") },
		"compliance units, first page":   func() (string, []any) { return carestore.ComplianceUnitsQuery(51, nil, "") },
		"compliance units, a later page": func() (string, []any) { return carestore.ComplianceUnitsQuery(51, nil, "zunit-100") },
		"compliance of two units, a page": func() (string, []any) {
			return carestore.ComplianceUnitsQuery(51, []string{"zunit-001", "zunit-002"}, "")
		},
		"checks of a page of units and year": func() (string, []any) {
			return carestore.ChecksQuery(carestore.CheckFilter{Units: []string{"unit-03"}, Year: 2026}, 51, nil, "")
		},
	} {
		sql, args := q()
		pgtest.AssertIndexed(t, f.db, name, sql, args...)
	}
}
