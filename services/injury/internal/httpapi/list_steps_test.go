package httpapi_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// TestCaseListWithLastSteps: ?steps=N gives each case of the page its last
// N timeline entries, exactly as the timeline shows them to the caller
// (the member every entry, a reporting colleague only their own), and the
// read of a page's steps plans on the timeline's index with 20,000 cases'
// entries in the table.
func TestCaseListWithLastSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	for _, body := range []string{"第一次补充", "第二次补充", "第三次补充"} {
		if r := e.do(member, "POST", "/cases/"+id+"/comments", map[string]any{"body": body}); r.Code != 201 {
			t.Fatalf("comment: %d %s", r.Code, r.Body)
		}
	}
	type entry = map[string]any
	timeline := func(who domain.Actor) []entry {
		var tl struct{ Entries []entry }
		if err := json.Unmarshal(e.do(who, "GET", "/cases/"+id+"/timeline", nil).Body, &tl); err != nil {
			t.Fatal(err)
		}
		return tl.Entries
	}
	steps := func(who domain.Actor, n string) []entry {
		r := e.do(who, "GET", "/cases?steps="+n, nil)
		var list struct {
			Cases []struct {
				ID    string
				Steps []entry
			}
		}
		if err := json.Unmarshal(r.Body, &list); err != nil || r.Code != 200 || len(list.Cases) != 1 || list.Cases[0].ID != id {
			t.Fatalf("list with steps as %s: %d %s", who.UserID, r.Code, r.Body)
		}
		return list.Cases[0].Steps
	}
	all := timeline(member)
	if len(all) < 4 {
		t.Fatalf("a timeline of %d entries after three comments: %v", len(all), all)
	}
	if got := steps(member, "2"); !reflect.DeepEqual(got, all[len(all)-2:]) {
		t.Errorf("the member's last 2 steps %v, the timeline ends %v", got, all[len(all)-2:])
	}
	own := timeline(colleague)
	if got := steps(colleague, "10"); len(own) == 0 || len(own) == len(all) || !reflect.DeepEqual(got, own) {
		t.Errorf("the colleague's steps %v, their timeline %v", got, own)
	}
	plain := e.do(member, "GET", "/cases", nil)
	cases, _ := plain.json(t)["cases"].([]any)
	if plain.Code != 200 || len(cases) != 1 {
		t.Fatalf("list without steps: %d %s", plain.Code, plain.Body)
	}
	if _, has := cases[0].(map[string]any)["steps"]; has {
		t.Error("a list not asked for steps carries them")
	}
	for _, n := range []string{"11", "-1", "x"} {
		if r := e.do(member, "GET", "/cases?steps="+n, nil); r.Code != 422 {
			t.Errorf("steps=%s: %d", n, r.Code)
		}
	}

	if testing.Short() {
		return
	}
	if _, err := e.db.Exec(`INSERT INTO timeline (case_id, at, actor_id, kind, body)
		SELECT (SELECT id FROM cases LIMIT 1), now(), 'u-' || (i % 7), 'comment', 'x' FROM generate_series(1, 20000) i;
		ANALYZE timeline`); err != nil {
		t.Fatal(err)
	}
	pgtest.AssertIndexed(t, e.db, "last steps of a page of cases", store.LastStepsQuery,
		"{"+id+",0190f7a0-0000-7000-8000-00000000dead}", "{\"\",u-1}", 3)
}
