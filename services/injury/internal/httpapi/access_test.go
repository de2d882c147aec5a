package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

type actor = domain.Actor

// TestAccess proves, for every endpoint and every kind of caller, who gets
// what: a case the caller may not see answers 404 exactly like a missing
// one, and no rejected request changes anything.
func TestAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	if r := e.do(admin, "PUT", "/parameters/regional_average_monthly_wage/2025-07-01", map[string]any{"value_fen": 700000}); r.Code != 200 {
		t.Fatalf("parameter: %d", r.Code)
	}
	up := e.do(member, "POST", "/cases/"+id+"/documents?kind=photo&file_name=a.pdf", pdf)
	if up.Code != 201 {
		t.Fatalf("upload: %d %s", up.Code, up.Body)
	}
	docID := up.json(t)["id"].(string)
	incident := e.do(caseworker, "GET", "/cases/"+id, nil).json(t)["incident_id"].(string)
	missing := "0190f7a0-0000-7000-8000-00000000dead"

	actors := []struct {
		name string
		who  actor
	}{{"caseworker", caseworker}, {"other unit", otherCW}, {"member", member}, {"reporter", colleague},
		{"stranger", stranger}, {"admin", admin}, {"nobody", nobody}}
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		want   [7]int // in the order of actors
		ifm    bool
	}{
		{"get case", "GET", "/cases/" + id, nil, [7]int{200, 404, 200, 200, 404, 404, 401}, false},
		{"get missing case", "GET", "/cases/" + missing, nil, [7]int{404, 404, 404, 404, 404, 404, 401}, false},
		{"get malformed id", "GET", "/cases/not-a-uuid", nil, [7]int{404, 404, 404, 404, 404, 404, 401}, false},
		{"list cases", "GET", "/cases", nil, [7]int{200, 200, 200, 200, 200, 200, 401}, false},
		{"incident cases", "GET", "/incidents/" + incident + "/cases", nil, [7]int{200, 200, 200, 200, 200, 200, 401}, false},
		{"action", "POST", "/cases/" + id + "/actions/record_guarantee", map[string]any{"hospital": "h", "amount_fen": 1}, [7]int{409, 404, 403, 404, 404, 404, 401}, true},
		{"unknown action", "POST", "/cases/" + id + "/actions/explode", nil, [7]int{404, 404, 404, 404, 404, 404, 401}, true},
		{"timeline", "GET", "/cases/" + id + "/timeline", nil, [7]int{200, 404, 200, 200, 404, 404, 401}, false},
		{"comment", "POST", "/cases/" + id + "/comments", map[string]any{"body": "已联系家属"}, [7]int{201, 404, 201, 201, 404, 404, 401}, false},
		{"empty comment", "POST", "/cases/" + id + "/comments", map[string]any{"body": ""}, [7]int{422, 404, 422, 422, 404, 404, 401}, false},
		{"documents", "GET", "/cases/" + id + "/documents", nil, [7]int{200, 404, 200, 200, 404, 404, 401}, false},
		{"print summary", "GET", "/cases/" + id + "/summary.pdf", nil, [7]int{200, 404, 200, 200, 404, 404, 401}, false},
		{"print determination cover", "GET", "/cases/" + id + "/determination-cover.pdf", nil, [7]int{200, 404, 200, 404, 404, 404, 401}, false},
		{"upload", "POST", "/cases/" + id + "/documents?kind=invoice&file_name=b.pdf", pdf, [7]int{201, 404, 201, 201, 404, 404, 401}, false},
		{"download", "GET", "/cases/" + id + "/documents/" + docID + "/content", nil, [7]int{200, 404, 200, 404, 404, 404, 401}, false},
		{"download from another case", "GET", "/cases/" + missing + "/documents/" + docID + "/content", nil, [7]int{404, 404, 404, 404, 404, 404, 401}, false},
		{"calculations", "GET", "/cases/" + id + "/calculations", nil, [7]int{200, 404, 200, 404, 404, 404, 401}, false},
		{"calculate", "POST", "/cases/" + id + "/calculations", map[string]any{"wages_fen": []int64{500000}, "grade": 9}, [7]int{201, 404, 403, 404, 404, 404, 401}, false},
		{"parameters", "GET", "/parameters", nil, [7]int{200, 200, 403, 403, 403, 200, 401}, false},
		{"set parameter", "PUT", "/parameters/minimum_monthly_wage/2026-01-01", map[string]any{"value_fen": 200000}, [7]int{403, 403, 403, 403, 403, 200, 401}, false},
	}
	for _, tt := range tests {
		for i, a := range actors {
			before := e.snapshot()
			var headers []string
			if tt.ifm {
				headers = []string{"If-Match", `"1"`}
			}
			r := e.do(a.who, tt.method, tt.path, tt.body, headers...)
			if r.Code != tt.want[i] {
				t.Errorf("%s as %s = %d, want %d: %s", tt.name, a.name, r.Code, tt.want[i], r.Body)
			}
			if r.Code >= 400 && e.snapshot() != before {
				t.Errorf("%s as %s: rejected with %d but state changed", tt.name, a.name, r.Code)
			}
		}
	}
	// Lists show each caller only their cases.
	for _, a := range []struct {
		name string
		who  actor
		want int
	}{{"caseworker", caseworker, 1}, {"other unit", otherCW, 0}, {"member", member, 1}, {"reporter", colleague, 1}, {"stranger", stranger, 0}, {"admin", admin, 0}} {
		r := e.do(a.who, "GET", "/cases", nil)
		if n := len(r.json(t)["cases"].([]any)); r.Code != http.StatusOK || n != a.want {
			t.Errorf("list as %s: %d cases, want %d", a.name, n, a.want)
		}
	}
	// The reporter sees only what they entered.
	view := e.do(colleague, "GET", "/cases/"+id, nil).json(t)
	for _, hidden := range []string{"clocks", "coverage", "guarantees", "reporter", "determination"} {
		if _, ok := view[hidden]; ok {
			t.Errorf("reporter sees %s", hidden)
		}
	}
}
