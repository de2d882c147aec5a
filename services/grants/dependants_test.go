package grants_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// publish sends an event of another service to the bus as that service's
// relay would, with the member's version as the aggregate version, and
// returns the event's id.
func (h *harness) publish(source, typ, subject string, version int64, data any) string {
	h.t.Helper()
	ev, err := bus.NewEvent(source, typ, 1, subject, version, data, h.env.Clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	raw, _ := json.Marshal(ev)
	if _, err := h.env.Deps.Bus.JS.Publish(context.Background(), ev.Subject(), raw); err != nil {
		h.t.Fatal(err)
	}
	return ev.ID.String()
}

type dependantsJSON struct {
	MemberID string `json:"member_id"`
	Items    []struct {
		DependantID  string `json:"dependant_id"`
		Relation     string `json:"relation"`
		RelationText string `json:"relation_text"`
		Name         string `json:"name"`
	} `json:"items"`
}

// TestFamilyApplicationNamesTheDependant: the service learns the officer's
// dependants from enrollment's member events; a family account linked to
// the officer must name which dependant applies, one of the officer's
// (else 422 on dependant_id), and that dependant is recorded and counts
// for a dependants-only programme. An officer applies for themselves as
// before.
func TestFamilyApplicationNamesTheDependant(t *testing.T) {
	h := start(t)
	fundID, hardship := h.setupFund(1000000)
	w := h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "martyr", "name_zh": "英烈家属资助", "name_en": "Martyr families",
		"kind": "martyr_family", "allocation": 10000000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 500000}, "dual_approval_above": 1000000,
		"eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true}}, 0)
	want(t, w, 201, "")
	martyr := decode[map[string]any](t, w)["id"].(string)
	family := auth.Identity{UserID: "u-fam", MemberID: "m-1", Name: "李娜", Roles: []auth.Role{auth.RoleFamily}, Units: []string{"unit-1"}}

	member := map[string]any{"member_id": "m-1", "unit_id": "unit-1", "name": "张三丰", "category": "police", "honours": []any{},
		"dependants": []map[string]any{{"dependant_id": "d-1", "relation": "spouse", "name": "李娜"}, {"dependant_id": "d-2", "relation": "child", "name": "张小明"}}}
	h.publish("enrollment", "member.registered", "m-1", 1, map[string]any{"member_id": "m-1", "unit_id": "unit-1", "category": "police", "dependants": []any{}})
	h.publish("enrollment", "member.updated", "m-1", 3, member)
	var deps dependantsJSON
	apptest.Eventually(t, 15*time.Second, "the officer's dependants reached grants", func() bool {
		w := h.do(&family, "GET", "/members/m-1/dependants", nil, 0)
		deps = decode[dependantsJSON](t, w)
		return w.Code == 200 && len(deps.Items) == 2
	})
	if d := deps.Items[0]; d.DependantID != "d-1" || d.Name != "李娜" || d.Relation != "spouse" || d.RelationText != "配偶" {
		t.Errorf("first dependant %+v", d)
	}
	// who may read them: the member's accounts, the unit's caseworkers, auditors
	for _, who := range []auth.Identity{officer, caseworker, auditor} {
		want(t, h.do(&who, "GET", "/members/m-1/dependants", nil, 0), 200, "")
	}
	for _, who := range []auth.Identity{stranger, otherCW, approverA} {
		want(t, h.do(&who, "GET", "/members/m-1/dependants", nil, 0), 404, "not_found")
	}
	if n := len(decode[dependantsJSON](t, h.do(&stranger, "GET", "/members/m-2/dependants", nil, 0)).Items); n != 0 {
		t.Errorf("an unknown member has %d dependants", n)
	}
	// an older event does not roll the projection back
	stale := h.publish("enrollment", "member.updated", "m-1", 2, map[string]any{"member_id": "m-1", "unit_id": "unit-1", "category": "police", "dependants": []any{}})

	// the officer dies on duty: the dependants-only programme is open to the family
	h.publish("enrollment", "member.deceased", "m-1", 4, map[string]any{"member_id": "m-1", "unit_id": "unit-1", "category": "police",
		"status_date": "2026-11-20", "death_cause": "line_of_duty", "dependants": member["dependants"]})
	apptest.Eventually(t, 15*time.Second, "the death reached grants", func() bool {
		w := h.do(&caseworker, "GET", "/notices", nil, 0)
		return w.Code == 200 && len(decode[noticePage](t, w).Items) == 2
	})

	apply := func(id auth.Identity, body map[string]any) *appJSON {
		t.Helper()
		w := h.do(&id, "POST", "/applications", body, 0)
		if w.Code != 201 {
			return nil
		}
		a := decode[appJSON](t, w)
		return &a
	}
	wantField(t, h.do(&family, "POST", "/applications", map[string]any{"program_id": martyr, "member_id": "m-1"}, 0), "dependant_id", "grants.field.required")
	wantField(t, h.do(&family, "POST", "/applications", map[string]any{"program_id": martyr, "dependant_id": "d-9"}, 0), "dependant_id", "grants.field.not_a_dependant")
	wantField(t, h.do(&family, "POST", "/applications", map[string]any{"program_id": martyr, "member_id": "m-2", "dependant_id": "d-1"}, 0), "member_id", "grants.field.not_allowed")
	if n := h.count(`SELECT count(*) FROM applications`); n != 0 {
		t.Fatalf("refused applications left %d rows", n)
	}
	a := apply(family, map[string]any{"program_id": martyr, "dependant_id": "d-1"})
	if a == nil {
		t.Fatal("the family's application with its dependant was refused")
	}
	got := decode[map[string]any](t, h.do(&family, "GET", "/applications/"+a.ID, nil, 0))
	if got["member_id"] != "m-1" || got["dependant_id"] != "d-1" || got["applicant_user_id"] != "u-fam" || got["program_name"] != "英烈家属资助" {
		t.Fatalf("the family's application records %v", got)
	}
	as := decode[map[string]any](t, h.do(&family, "GET", "/applications/"+a.ID+"/assessment", nil, 0))
	if as["eligible"] != true {
		t.Fatalf("the dependant of an officer who died on duty is not eligible: %v", as)
	}
	want(t, h.do(&family, "POST", "/applications/"+a.ID+"/submit", nil, a.Version), 200, "")
	en := h.env.Do(t, h.h, &family, "GET", "/api/v1/grants/applications?scope=mine", nil, "Accept-Language", "en")
	if got := items[map[string]any](t, en); len(got) != 1 || got[0]["program_name"] != "Martyr families" {
		t.Errorf("the family's list in English: %v", got)
	}

	// an officer applies for themselves, as before; a dependant they name is theirs
	own := apply(officer, map[string]any{"program_id": hardship, "member_id": "m-1", "requested_amount": 100})
	if own == nil {
		t.Fatal("the officer's own application was refused")
	}
	got = decode[map[string]any](t, h.do(&officer, "GET", "/applications/"+own.ID, nil, 0))
	if got["member_id"] != "m-1" || got["dependant_id"] != nil || got["applicant_user_id"] != "u-off" {
		t.Fatalf("the officer's own application records %v", got)
	}
	child := apply(officer, map[string]any{"program_id": hardship, "dependant_id": "d-2", "requested_amount": 100})
	if child == nil || decode[map[string]any](t, h.do(&officer, "GET", "/applications/"+child.ID, nil, 0))["dependant_id"] != "d-2" {
		t.Fatal("the officer's application for their child does not record the child")
	}
	wantField(t, h.do(&officer, "POST", "/applications", map[string]any{"program_id": hardship, "dependant_id": "d-9"}, 0), "dependant_id", "grants.field.not_a_dependant")
	wantField(t, h.do(&stranger, "POST", "/applications", map[string]any{"program_id": hardship, "dependant_id": "d-1"}, 0), "dependant_id", "grants.field.not_a_dependant")

	// the stale update changed nothing, once it has been consumed: its
	// inbox row, not a state an unconsumed event also leaves
	apptest.Eventually(t, 15*time.Second, "the older event consumed", func() bool {
		return h.count(`SELECT count(*) FROM inbox WHERE consumer = 'grants-members' AND event_id = $1`, stale) == 1
	})
	if n := len(decode[dependantsJSON](t, h.do(&family, "GET", "/members/m-1/dependants", nil, 0)).Items); n != 2 {
		t.Errorf("after an older event the member has %d dependants, want 2", n)
	}
}
