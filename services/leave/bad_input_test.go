package leave_test

import (
	"net/http"
	"testing"
)

// TestNULIsRefusedNamingTheField: a NUL in an adjustment's reason or a
// facility's name was a 500 (PostgreSQL refuses it in text); it is a 422
// naming the field, and nothing changes.
func TestNULIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before := h.statement(t, "2026")
	for _, tc := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{"/api/v1/leave/members/m1/adjustments", map[string]any{"year": 2026, "days": 1, "reason": "补\x00休"}, "reason"},
		{"/api/v1/leave/recuperation/facilities", map[string]any{"name": "北戴河\x00疗养院", "location": "秦皇岛"}, "name"},
		{"/api/v1/leave/recuperation/facilities", map[string]any{"name": "北戴河疗养院", "location": "秦皇岛\u0085"}, "location"},
	} {
		who := &admin
		if tc.field == "reason" {
			who = &cw1 // m1's unit's caseworker adjusts m1's balance
		}
		p := expectProblem(t, h.do(t, who, "POST", tc.path, tc.body), http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != "field.control_char" || p.Errors[0].Message == "" {
			t.Fatalf("%s: errors %+v, want %s", tc.path, p.Errors, tc.field)
		}
	}
	if after := h.statement(t, "2026"); after.Balance != before.Balance || len(after.Lines) != len(before.Lines) {
		t.Fatalf("a refused adjustment changed the balance: %+v", after.Balance)
	}
	if w := h.do(t, &admin, "GET", "/api/v1/leave/recuperation/facilities", nil); w.Code != http.StatusOK || w.Body.String() != `{"items":[],"next":""}` {
		t.Fatalf("a refused facility was stored: %d %s", w.Code, w.Body)
	}
}
