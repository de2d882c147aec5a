package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/grants/internal/scaleseed"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// TestLastActionsOfAPage: a page of applications gets each one's last
// steps in one read, the same as the tail of its whole history, and that
// read plans on the actions' index with a province's applications in the
// table.
func TestLastActionsOfAPage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds 4,000 applications")
	}
	ctx := context.Background()
	db := pgtest.New(t, store.Migrations())
	st := store.New(db, clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
	var members []scaleseed.Member
	for i := range 200 {
		members = append(members, scaleseed.Member{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), UnitID: fmt.Sprintf("u-%d", i%10),
			Name: fmt.Sprintf("成员%d", i), Category: "police", Version: 1})
	}
	if _, err := scaleseed.New(st.DB, st.Clock).Seed(ctx, scaleseed.Size{Applications: 4000, LedgerLines: 100, Years: 2}, members, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE application_actions; ANALYZE applications`); err != nil {
		t.Fatal(err)
	}
	recs, _, err := st.Applications(ctx, store.ListFilter{AnyUnit: true, Page: page.Request{Limit: 20}})
	if err != nil || len(recs) != 20 {
		t.Fatalf("a page of 20: %d, %v", len(recs), err)
	}
	if err := st.WithLastActions(ctx, recs, 2); err != nil {
		t.Fatal(err)
	}
	withSteps := 0
	for _, r := range recs {
		whole, err := st.Application(ctx, r.App.ID)
		if err != nil {
			t.Fatal(err)
		}
		tail := whole.App.Actions[max(0, len(whole.App.Actions)-2):]
		if len(tail) == 0 {
			tail = nil
		}
		if !reflect.DeepEqual(r.App.Actions, tail) {
			t.Errorf("%s: last steps %+v, the history ends %+v", r.App.Number, r.App.Actions, tail)
		}
		for _, x := range tail {
			if whole.ActorNames[x.Actor] != r.ActorNames[x.Actor] {
				t.Errorf("%s: %s named %q, the history says %q", r.App.Number, x.Actor, r.ActorNames[x.Actor], whole.ActorNames[x.Actor])
			}
		}
		if len(r.App.Actions) == 2 {
			withSteps++
		}
	}
	if withSteps == 0 {
		t.Error("no application of the page has two steps: the test proves nothing")
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM application_actions`); err != nil || n < pgtest.LargeRows {
		t.Fatalf("%d actions, not a realistic table (%v)", n, err)
	}
	ids := "{"
	for i, r := range recs {
		if i > 0 {
			ids += ","
		}
		ids += r.App.ID
	}
	pgtest.AssertIndexed(t, db, "the last steps of a page of applications", store.LastActionsQuery, ids+"}", 3)
}
