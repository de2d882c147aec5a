package grants_test

import (
	"reflect"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// The approvers' queue asks for each application's assessment with the
// list (?assess=true), so the page makes no call per row: each item's
// assessment is exactly what GET /applications/{id}/assessment answers,
// a list not asked for it carries none, and a value that is no boolean is
// a 422 naming assess.
func TestTheQueueListsEachApplicationWithItsAssessment(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	_, progID := h.setupFund(1000000)
	w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 1500000,
		"documents": []string{"income_proof"}, "event_ref": "hardship:2026", "form": map[string]any{"income_per_capita": 80000}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	id := "/applications/" + app.ID
	for _, step := range []struct {
		who  *auth.Identity
		path string
	}{{&officer, id + "/submit"}, {&caseworker, id + "/review"}} {
		w = h.do(step.who, "POST", step.path, nil, app.Version)
		want(t, w, 200, "")
		app = decode[appJSON](t, w)
	}
	type page struct {
		Items []map[string]any `json:"items"`
	}
	single := decode[map[string]any](t, h.do(&approverA, "GET", id+"/assessment", nil, 0))
	items := decode[page](t, h.do(&approverA, "GET", "/applications?scope=queue&assess=true&steps=10", nil, 0)).Items
	if len(items) != 1 || items[0]["id"] != app.ID {
		t.Fatalf("the queue: %v", items)
	}
	if got := items[0]["assessment"]; !reflect.DeepEqual(got, single) {
		t.Errorf("the listed assessment %v, the application's own %v", got, single)
	}
	if single["eligible"] != true || single["amount"] != float64(1500000) {
		t.Errorf("an eligible application's assessment: %v", single)
	}
	if plain := decode[page](t, h.do(&approverA, "GET", "/applications?scope=queue", nil, 0)).Items; len(plain) != 1 || plain[0]["assessment"] != nil {
		t.Errorf("a list not asked for assessments: %v", plain)
	}
	w = h.do(&approverA, "GET", "/applications?scope=queue&assess=maybe", nil, 0)
	want(t, w, 422, "validation_failed")
	if p := decode[map[string]any](t, w); p["errors"].([]any)[0].(map[string]any)["field"] != "assess" {
		t.Errorf("the refusal does not name assess: %v", p)
	}
}
