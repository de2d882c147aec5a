package enrollment_test

import (
	"net/url"
	"testing"
)

// TestMemberListsPageOverHTTP: a member's enrollments and versions answer
// a page with its next cursor, ?at answers the one version current then,
// and a bad limit or a cursor that is not ours is a 422 naming the field.
func TestMemberListsPageOverHTTP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	plan := w.must(&w.admin, 201, "POST", "/plans", planBody(2027)).str("id")
	w.must(&w.cwGAJ, 201, "POST", "/enrollments", map[string]any{"member_id": w.member, "plan_id": plan, "start": "2027-01-01"})
	first := w.must(&w.cwGAJ, 200, "GET", "/members/"+w.member+"/enrollments?limit=1", nil)
	es, _ := first.body["enrollments"].([]any)
	next := first.str("next")
	if len(es) != 1 || next == "" {
		t.Fatalf("first page of enrollments: %s", first.raw)
	}
	second := w.must(&w.cwGAJ, 200, "GET", "/members/"+w.member+"/enrollments?limit=1&after="+url.QueryEscape(next), nil)
	es2, _ := second.body["enrollments"].([]any)
	if len(es2) != 1 || second.str("next") != "" || es2[0].(map[string]any)["plan_year"] != float64(2027) || es[0].(map[string]any)["plan_year"] != float64(2026) {
		t.Errorf("second page of enrollments: %s (first %s)", second.raw, first.raw)
	}

	w.must(&w.cwGAJ, 200, "PUT", "/members/"+w.member, map[string]any{
		"unit_id": w.gaj, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idNumber(1985, 11, true), "phone": "13900139000", "hire_date": "2008-07-01",
	}, "If-Match", w.version(w.member))
	h := w.must(&w.officer, 200, "GET", "/members/"+w.member+"/history?limit=1", nil)
	vs, _ := h.body["versions"].([]any)
	if len(vs) != 1 || h.str("next") == "" {
		t.Fatalf("first page of the history: %s", h.raw)
	}
	h2 := w.must(&w.officer, 200, "GET", "/members/"+w.member+"/history?limit=1&after="+url.QueryEscape(h.str("next")), nil)
	vs2, _ := h2.body["versions"].([]any)
	if len(vs2) != 1 || h2.str("next") != "" || vs2[0].(map[string]any)["version"] != float64(2) {
		t.Errorf("second page of the history: %s", h2.raw)
	}
	at := w.must(&w.officer, 200, "GET", "/members/"+w.member+"/history?at=2100-01-01T00:00:00Z", nil)
	if vs, _ := at.body["versions"].([]any); len(vs) != 1 || vs[0].(map[string]any)["version"] != float64(2) {
		t.Errorf("the version current now: %s", at.raw)
	}
	w.must(&w.officer, 404, "GET", "/members/"+w.member+"/history?at=2000-01-01T00:00:00Z", nil)
	for _, path := range []string{"/enrollments?limit=0", "/enrollments?after=junk", "/history?limit=501", "/history?after=WyJ4Il0"} {
		r := w.must(&w.cwGAJ, 422, "GET", "/members/"+w.member+path, nil)
		if f := r.fields(); len(f) != 1 {
			t.Errorf("%s: %s", path, r.raw)
		}
	}
}
