package injury

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// TestMemberNamesFromEnrollmentEvents follows a member's name from
// enrollment's member.registered into the case view and the case list, a
// rename through member.updated, and a member never announced (no name,
// the case still served).
func TestMemberNamesFromEnrollmentEvents(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	svc, err := New(context.Background(), env.Deps, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	h := svc.Handler()
	publish := func(typ string, version int64, name string) {
		t.Helper()
		ev, err := bus.NewEvent("enrollment", typ, 1, "m-1", version, map[string]any{
			"member_id": "m-1", "unit_id": "unit-1", "name": name, "category": "police", "version": version,
		}, env.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := env.Deps.Bus.JS.Publish(ctx, ev.Subject(), raw); err != nil {
			t.Fatalf("publish %s: %v", typ, err)
		}
	}
	colleague := auth.Identity{UserID: "u-col", MemberID: "m-2", Name: "赵六", Roles: []auth.Role{auth.RoleOfficer}}
	head := auth.Identity{UserID: "u-head", Name: "周局", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"unit-1"}}
	open := func(member string) string {
		t.Helper()
		w := env.Do(t, h, &colleague, "POST", "/api/v1/injury/cases", map[string]any{
			"member_id": member, "unit_id": "unit-1", "injured_at": "2026-11-27T09:00", "place": "城关路口",
			"description": "查车时被撞伤", "severity": "serious",
		})
		if w.Code != http.StatusCreated {
			t.Fatalf("open for %s = %d %s", member, w.Code, w.Body)
		}
		var c struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &c)
		return c.ID
	}
	type named struct {
		ID         string `json:"id"`
		MemberID   string `json:"member_id"`
		MemberName string `json:"member_name"`
	}
	caseName := func(who auth.Identity, id string) (string, bool) {
		t.Helper()
		w := env.Do(t, h, &who, "GET", "/api/v1/injury/cases/"+id, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET case as %s = %d %s", who.UserID, w.Code, w.Body)
		}
		var raw map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &raw)
		name, ok := raw["member_name"].(string)
		return name, ok
	}
	listName := func(who auth.Identity, id string) string {
		t.Helper()
		w := env.Do(t, h, &who, "GET", "/api/v1/injury/cases", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET cases as %s = %d %s", who.UserID, w.Code, w.Body)
		}
		var list struct {
			Cases []named `json:"cases"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &list)
		for _, c := range list.Cases {
			if c.ID == id {
				return c.MemberName
			}
		}
		t.Fatalf("case %s not in %s's list: %s", id, who.UserID, w.Body)
		return ""
	}

	// Reported before enrollment announced the member: no name yet.
	id := open("m-1")
	if name, ok := caseName(head, id); ok {
		t.Errorf("member_name = %q before any member event, want none", name)
	}
	if got := listName(head, id); got != "" {
		t.Errorf("list member_name = %q before any member event", got)
	}

	publish("member.registered", 1, "李强")
	apptest.Eventually(t, 10*time.Second, "member.registered projected", func() bool {
		name, _ := caseName(head, id)
		return name == "李强"
	})
	for _, who := range []auth.Identity{head, colleague} {
		if got := listName(who, id); got != "李强" {
			t.Errorf("%s's list: member_name = %q, want 李强", who.UserID, got)
		}
	}
	if name, _ := caseName(colleague, id); name != "李强" {
		t.Errorf("the reporting colleague's view: member_name = %q, want 李强", name)
	}

	publish("member.updated", 2, "李刚")
	apptest.Eventually(t, 10*time.Second, "member.updated projected", func() bool {
		return listName(head, id) == "李刚"
	})
	if name, _ := caseName(head, id); name != "李刚" {
		t.Errorf("after the rename: member_name = %q, want 李刚", name)
	}

	// A member enrollment never announced: the case is served without a name.
	other := open("m-unknown")
	if name, ok := caseName(head, other); ok {
		t.Errorf("unannounced member: member_name = %q, want none", name)
	}
	if got := listName(head, other); got != "" {
		t.Errorf("unannounced member in the list: member_name = %q", got)
	}
}
