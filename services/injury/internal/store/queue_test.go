package store_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/injury/internal/commands"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// TestQueueOneClockOpenOnlyAndPaged: each case carries the clock due
// first; the open queue leaves closed cases out; a search finds a case by
// number or name; pages follow one another without a gap or a repeat in
// every order.
func TestQueueOneClockOpenOnlyAndPaged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	minor := f.open(t, domain.SeverityMinor, "m-1")[0]
	critical := f.open(t, domain.SeverityCritical, "m-2")[0]
	serious := f.open(t, domain.SeveritySerious, "m-3")[0]
	closed := f.open(t, domain.SeverityCritical, "m-4")[0]
	if _, err := commands.New(f.st, nil).Update(ctx, store.Meta{Actor: caseworker}, closed.ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
		return c.Apply(domain.Close{Reason: domain.CloseDuplicate}, caseworker, now, f.st.Policy())
	}); err != nil {
		t.Fatal(err)
	}
	// Acknowledging the critical case leaves its handoff clock (1 hour) as
	// the one due first.
	if _, err := commands.New(f.st, nil).Update(ctx, store.Meta{Actor: caseworker}, critical.ID, 0, nil, func(c *domain.Case, now time.Time) (domain.Change, error) {
		return c.Apply(domain.Acknowledge{}, caseworker, now, f.st.Policy())
	}); err != nil {
		t.Fatal(err)
	}
	all := func(f0 store.ListFilter) []store.CaseSummary {
		t.Helper()
		var out []store.CaseSummary
		f0.Units = []string{"unit-1"}
		for after := ""; ; {
			f0.Page = page.Request{Limit: 1, After: after}
			rows, next, err := f.st.List(ctx, f0)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rows...)
			if next == "" {
				return out
			}
			after = next
		}
	}
	numbers := func(rows []store.CaseSummary) string {
		var s []string
		for _, r := range rows {
			s = append(s, r.Number)
		}
		return strings.Join(s, " ")
	}
	byDue := all(store.ListFilter{Status: store.ListOpen, Sort: store.SortDue})
	for _, r := range byDue {
		if r.ID == closed.ID {
			t.Errorf("the open queue holds the closed case %s", r.Number)
		}
		cs, err := f.st.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		first := cs.QueueClock()
		if first == nil || r.DueClock == nil || *r.DueClock != string(first.Kind) || !r.NextDueAt.Equal(first.DueAt) || !r.DueAmberAt.Equal(first.AmberAt) {
			t.Errorf("%s shows clock %v due %v, want the clock due first %+v", r.Number, r.DueClock, r.NextDueAt, first)
		}
	}
	for i := 1; i < len(byDue); i++ {
		if byDue[i].NextDueAt.Before(*byDue[i-1].NextDueAt) {
			t.Errorf("by due out of order: %s", numbers(byDue))
		}
	}
	if *byDue[0].DueClock == "" || len(byDue) != 3 {
		t.Errorf("open queue = %s", numbers(byDue))
	}
	bySeverity := all(store.ListFilter{Status: store.ListOpen, Sort: store.SortSeverity})
	if got, want := numbers(bySeverity), critical.Number+" "+serious.Number+" "+minor.Number; got != want {
		t.Errorf("by severity = %s, want %s", got, want)
	}
	byOpened := all(store.ListFilter{Status: store.ListAll, Sort: store.SortOpened})
	if got, want := numbers(byOpened), closed.Number+" "+serious.Number+" "+critical.Number+" "+minor.Number; got != want {
		t.Errorf("by opening = %s, want %s", got, want)
	}
	onlyClosed := all(store.ListFilter{Status: store.ListClosed})
	if numbers(onlyClosed) != closed.Number || onlyClosed[0].DueClock != nil {
		t.Errorf("closed = %s", numbers(onlyClosed))
	}
	if got := all(store.ListFilter{Status: store.ListOpen, Sort: store.SortDue, Query: serious.Number[len(serious.Number)-3:]}); numbers(got) != serious.Number {
		t.Errorf("search by number = %s", numbers(got))
	}
	if _, err := f.db.Exec(`INSERT INTO members (member_id, name, unit_id, updated_at) VALUES ('m-1', '李卫东', 'unit-1', now())`); err != nil {
		t.Fatal(err)
	}
	if got := all(store.ListFilter{Status: store.ListOpen, Sort: store.SortDue, Query: "卫东"}); numbers(got) != minor.Number {
		t.Errorf("search by name = %s", numbers(got))
	}
	if got := all(store.ListFilter{Status: store.ListOpen, Sort: store.SortDue, Query: "%"}); len(got) != 0 {
		t.Errorf("a %% search matches everything: %s", numbers(got))
	}
	// A cursor whose id is not a case id is the caller's mistake.
	bad, _ := page.FromQuery(url.Values{"after": {page.Cursor(time.Now(), "not-an-id")}})
	if _, _, err := f.st.List(ctx, store.ListFilter{Units: []string{"unit-1"}, Status: store.ListOpen, Sort: store.SortDue, Page: bad}); err == nil || strings.Contains(err.Error(), "list cases") {
		t.Errorf("bad cursor = %v, want a field error", err)
	}
}

// TestQueueReadsAnIndex: with sorting forbidden, each order's plan still
// has no Sort node: an index gives the order, so a page does not sort the
// table.
func TestQueueReadsAnIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := 0; i < 30; i++ {
		f.open(t, domain.SeverityMinor, "m-1")
	}
	if _, err := f.db.Exec(`ANALYZE cases`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []store.ListFilter{
		{Status: store.ListOpen, Sort: store.SortDue},
		{Status: store.ListOpen, Sort: store.SortSeverity},
		{Status: store.ListAll, Sort: store.SortOpened},
		{Status: store.ListOpen, Sort: store.SortDue, Query: "GC"},
	} {
		tt.Units, tt.Page = []string{"unit-1"}, page.Request{Limit: 10}
		plan := store.ExplainList(t, f.db, tt)
		var nodes []map[string]any
		if err := json.Unmarshal([]byte(plan), &nodes); err != nil || len(nodes) == 0 {
			t.Fatalf("plan: %v %s", err, plan)
		}
		if strings.Contains(plan, `"Node Type": "Sort"`) || !strings.Contains(plan, "cases_") {
			t.Errorf("%s/%s: the plan sorts or reads no index of cases: %s", tt.Status, tt.Sort, plan)
		}
	}
}
