package grants_test

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

type programJSON struct {
	ID         string `json:"id"`
	FundID     string `json:"fund_id"`
	Code       string `json:"code"`
	Kind       string `json:"kind"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	Allocation int64  `json:"allocation"`
	Committed  int64  `json:"committed"`
	AmountRule struct {
		Kind    string  `json:"kind"`
		Cap     int64   `json:"cap"`
		Fixed   int64   `json:"fixed"`
		ByGrade []int64 `json:"by_grade"`
	} `json:"amount_rule"`
	RequiredDocuments []string `json:"required_documents"`
	DualApprovalAbove int64    `json:"dual_approval_above"`
	Recurring         bool     `json:"recurring"`
	Active            bool     `json:"active"`
	Version           int64    `json:"version"`
}

type problemJSON struct {
	Code   string `json:"code"`
	Errors []struct {
		Field   string `json:"field"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// wantField checks a 422 names field with code and returns its message.
func wantField(t *testing.T, w *httptest.ResponseRecorder, field, code string) string {
	t.Helper()
	want(t, w, 422, "validation_failed")
	for _, e := range decode[problemJSON](t, w).Errors {
		if e.Field == field && e.Code == code {
			return e.Message
		}
	}
	t.Fatalf("no %s %s in %s", field, code, w.Body.String())
	return ""
}

// programBody is the full update body of the hardship program of
// setupFund, with allocation alloc.
func programBody(alloc int64) map[string]any {
	return map[string]any{"name_zh": "特困干警资助", "name_en": "Hardship", "allocation": alloc, "eligibility": map[string]any{},
		"amount_rule": map[string]any{"kind": "assessed", "cap": 2000000}, "required_documents": []string{"income_proof"},
		"dual_approval_above": 1000000, "recurring": false, "active": true}
}

func (h *harness) program(id string) programJSON {
	h.t.Helper()
	w := h.do(&admin, "GET", "/programs/"+id, nil, 0)
	want(h.t, w, 200, "")
	p := decode[programJSON](h.t, w)
	if etag := w.Header().Get("ETag"); etag != `"`+strconv.FormatInt(p.Version, 10)+`"` {
		h.t.Fatalf("ETag %q for version %d", etag, p.Version)
	}
	return p
}

// listOf is one page of a list: {items, next}.
type listOf[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

func (h *harness) programIDs(query string) []string {
	h.t.Helper()
	w := h.do(&officer, "GET", "/programs"+query, nil, 0)
	want(h.t, w, 200, "")
	var ids []string
	for _, p := range decode[listOf[programJSON]](h.t, w).Items {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestProgramUpdateOverHTTP(t *testing.T) {
	h := start(t)
	fundID, progID := h.setupFund(50000000) // fund appropriation ¥1,000,000, program ¥500,000
	path := "/programs/" + progID
	p0 := h.program(progID)
	unchanged := func(what string) {
		t.Helper()
		if p := h.program(progID); p.Version != p0.Version || p.Allocation != p0.Allocation || p.NameZH != p0.NameZH || p.Recurring != p0.Recurring {
			t.Fatalf("%s changed the program: %+v, was %+v", what, p, p0)
		}
	}

	// refused before anything changes
	for _, who := range []auth.Identity{caseworker, finance, approverA, officer} {
		want(t, h.do(&who, "PUT", path, programBody(60000000), p0.Version), 403, "forbidden")
	}
	want(t, h.do(&admin, "PUT", path, programBody(60000000), 0), 428, "precondition_required")
	want(t, h.do(&admin, "PUT", "/programs/00000000-0000-4000-8000-000000000000", programBody(60000000), 1), 404, "not_found")
	want(t, h.do(&admin, "PUT", "/programs/nope", programBody(60000000), 1), 404, "not_found")
	fixed := programBody(60000000)
	fixed["code"] = "other"
	wantField(t, h.do(&admin, "PUT", path, fixed, p0.Version), "code", "field.unknown")
	partial := programBody(60000000)
	delete(partial, "active")
	delete(partial, "dual_approval_above")
	wantField(t, h.do(&admin, "PUT", path, partial, p0.Version), "active", "grants.field.required")
	wantField(t, h.do(&admin, "PUT", path, partial, p0.Version), "dual_approval_above", "grants.field.required")
	bad := programBody(60000000)
	bad["name_zh"], bad["amount_rule"] = " ", map[string]any{"kind": "lottery"}
	w := h.do(&admin, "PUT", path, bad, p0.Version)
	wantField(t, w, "name_zh", "grants.field.required")
	wantField(t, w, "amount.kind", "grants.field.unknown_value")
	// beyond the fund: ¥1,000,000 appropriated, no other program
	msg := wantField(t, h.do(&admin, "PUT", path, programBody(100000001), p0.Version), "allocation", "grants.field.over_cap")
	if !strings.Contains(msg, "¥1,000,000.00") {
		t.Fatalf("over-cap message %q does not say the room left", msg)
	}
	unchanged("refused updates")

	// the happy path: a by-grade rule with ten amounts round-trips
	grades := []int64{900000, 800000, 700000, 600000, 500000, 400000, 300000, 200000, 100000, 50000}
	body := programBody(100000000) // exactly the appropriation
	body["name_zh"], body["amount_rule"], body["dual_approval_above"] = "特困干警资助（修订）", map[string]any{"kind": "by_grade", "by_grade": grades}, 500000
	w = h.do(&admin, "PUT", path, body, p0.Version)
	want(t, w, 200, "")
	p1 := decode[programJSON](t, w)
	if w.Header().Get("ETag") != `"`+strconv.FormatInt(p0.Version+1, 10)+`"` || p1.Version != p0.Version+1 {
		t.Fatalf("ETag %q, version %d after version %d", w.Header().Get("ETag"), p1.Version, p0.Version)
	}
	if p1.NameZH != "特困干警资助（修订）" || p1.Allocation != 100000000 || p1.AmountRule.Kind != "by_grade" || !slices.Equal(p1.AmountRule.ByGrade, grades) ||
		p1.AmountRule.Cap != 0 || p1.DualApprovalAbove != 500000 || p1.Code != "hardship" || p1.Kind != "hardship" || p1.FundID != fundID || !p1.Active {
		t.Fatalf("updated %+v", p1)
	}
	if got := h.program(progID); !slices.Equal(got.AmountRule.ByGrade, grades) || got.Version != p1.Version {
		t.Fatalf("read back %+v", got)
	}
	// a second program finds no room left in the fund
	w = h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "edu", "name_zh": "子女教育", "kind": "children_education",
		"allocation": 1, "amount_rule": map[string]any{"kind": "fixed", "fixed": 100000}, "dual_approval_above": 0}, 0)
	if msg := wantField(t, w, "allocation", "grants.field.over_cap"); !strings.Contains(msg, "¥0.00") {
		t.Fatalf("create over-cap message %q", msg)
	}
	// stale: the version read before the change
	want(t, h.do(&admin, "PUT", path, programBody(60000000), p0.Version), 409, "version_mismatch")
	// recurring may change while the program has no application
	body = programBody(50000000)
	body["recurring"] = true
	w = h.do(&admin, "PUT", path, body, p1.Version)
	want(t, w, 200, "")
	p2 := decode[programJSON](t, w)
	if !p2.Recurring || p2.AmountRule.Kind != "assessed" || len(p2.AmountRule.ByGrade) != 0 {
		t.Fatalf("updated %+v", p2)
	}
	w = h.do(&admin, "PUT", path, programBody(50000000), p2.Version)
	want(t, w, 200, "")
	p3 := decode[programJSON](t, w)

	// an application approved for ¥8,000 commits that much
	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 800000, "documents": []string{"income_proof"}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	for _, step := range []struct {
		who  auth.Identity
		path string
	}{{officer, "/submit"}, {caseworker, "/review"}, {approverA, "/approve"}} {
		w = h.do(&step.who, "POST", "/applications/"+app.ID+step.path, nil, app.Version)
		want(t, w, 200, "")
		app = decode[appJSON](t, w)
	}
	if app.State != "approved" || app.Amount != 800000 {
		t.Fatalf("application %+v", app)
	}
	p0 = h.program(progID) // the commitment moved the program's version
	if p0.Committed != 800000 || p0.Version <= p3.Version {
		t.Fatalf("after approval %+v", p0)
	}
	want(t, h.do(&admin, "PUT", path, programBody(50000000), p3.Version), 409, "version_mismatch")

	// the allocation cannot fall below what is committed; recurring is fixed now
	msg = wantField(t, h.do(&admin, "PUT", path, programBody(799999), p0.Version), "allocation", "grants.field.below_committed")
	if !strings.Contains(msg, "¥8,000.00") {
		t.Fatalf("below-committed message %q", msg)
	}
	body = programBody(50000000)
	body["recurring"] = true
	wantField(t, h.do(&admin, "PUT", path, body, p0.Version), "recurring", "grants.field.fixed_once_applied")
	unchanged("refused changes after the approval")

	// down to exactly the committed amount, with a new rule: the approved amount stays
	body = programBody(800000)
	body["amount_rule"] = map[string]any{"kind": "fixed", "fixed": 100}
	w = h.do(&admin, "PUT", path, body, p0.Version)
	want(t, w, 200, "")
	p4 := decode[programJSON](t, w)
	if p4.Allocation != 800000 || p4.Committed != 800000 || p4.AmountRule.Fixed != 100 {
		t.Fatalf("updated %+v", p4)
	}
	if got := decode[appJSON](t, h.do(&officer, "GET", "/applications/"+app.ID, nil, 0)); got.Amount != 800000 || got.Version != app.Version {
		t.Fatalf("a rule change touched the approved application: %+v", got)
	}

	// deactivated: listed for admins, not among the active ones, takes no new application
	body = programBody(50000000)
	body["active"] = false
	w = h.do(&admin, "PUT", path, body, p4.Version)
	want(t, w, 200, "")
	p5 := decode[programJSON](t, w)
	if p5.Active {
		t.Fatalf("still active: %+v", p5)
	}
	if ids := h.programIDs(""); !slices.Contains(ids, progID) {
		t.Fatalf("all programs %v lack the inactive one", ids)
	}
	if ids := h.programIDs("?active=true"); slices.Contains(ids, progID) {
		t.Fatalf("active programs %v include the inactive one", ids)
	}
	if ids := h.programIDs("?active=false&fund_id=" + fundID); !slices.Equal(ids, []string{progID}) {
		t.Fatalf("inactive programs %v", ids)
	}
	wantField(t, h.do(&officer, "GET", "/programs?active=yes", nil, 0), "active", "grants.field.unknown_value")
	w = h.do(&stranger, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 100000, "documents": []string{"income_proof"}}, 0)
	if msg := wantField(t, w, "program_id", "grants.field.program_inactive"); !strings.Contains(msg, "停用") {
		t.Fatalf("inactive message %q", msg)
	}
	// the approved application carries on
	w = h.do(&finance, "POST", "/applications/"+app.ID+"/disburse", nil, app.Version)
	want(t, w, 200, "")
	if got := decode[appJSON](t, w); got.State != "disbursed" || got.Amount != 800000 {
		t.Fatalf("disbursed %+v", got)
	}

	// reactivated: new applications again
	p5 = h.program(progID)
	w = h.do(&admin, "PUT", path, programBody(50000000), p5.Version)
	want(t, w, 200, "")
	if !decode[programJSON](t, w).Active || !slices.Contains(h.programIDs("?active=true"), progID) {
		t.Fatal("not active again")
	}
	want(t, h.do(&stranger, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 100000, "documents": []string{"income_proof"}}, 0), 201, "")

	// one audit row per change, with before and after
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.program.update' AND object_type = 'program' AND object_id = $1`, progID); n != 6 {
		t.Fatalf("%d update audit rows, want 6", n)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.program.update' AND object_id = $1
		AND actor = 'u-admin' AND (before->>'Active')::boolean AND NOT (after->>'Active')::boolean
		AND (before->>'Allocation')::bigint = 800000 AND (after->>'Allocation')::bigint = 50000000`, progID); n != 1 {
		t.Fatalf("the deactivation's audit row: %d", n)
	}
}
