package grants_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants"
)

var (
	admin      = auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	caseworker = auth.Identity{UserID: "u-cw", Name: "王经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"unit-1"}}
	otherCW    = auth.Identity{UserID: "u-cw2", Name: "李经办", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"unit-2"}}
	approverA  = auth.Identity{UserID: "u-ap-a", Name: "审批甲", Roles: []auth.Role{auth.RoleApprover}}
	approverB  = auth.Identity{UserID: "u-ap-b", Name: "审批乙", Roles: []auth.Role{auth.RoleApprover}}
	finance    = auth.Identity{UserID: "u-fin", Name: "赵财务", Roles: []auth.Role{auth.RoleFinance}}
	finance2   = auth.Identity{UserID: "u-fin2", Name: "钱财务", Roles: []auth.Role{auth.RoleFinance}}
	auditor    = auth.Identity{UserID: "u-aud", Name: "审计", Roles: []auth.Role{auth.RoleAuditor}}
	officer    = auth.Identity{UserID: "u-off", MemberID: "m-1", Name: "张三丰", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-1"}}
	stranger   = auth.Identity{UserID: "u-off2", MemberID: "m-2", Name: "路人", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-1"}}
)

type harness struct {
	t   *testing.T
	env *apptest.Env
	h   http.Handler
	svc *grants.Service
}

func start(t *testing.T) *harness {
	t.Helper()
	env := apptest.New(t)
	svc, err := grants.New(context.Background(), env.Deps, grants.Config{Schema: "grants", HTTPAddr: "127.0.0.1:0", ExportPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	return &harness{t: t, env: env, h: svc.Handler(), svc: svc}
}

// do calls the API; version > 0 sends If-Match.
func (h *harness) do(id *auth.Identity, method, path string, body any, version int64) *httptest.ResponseRecorder {
	h.t.Helper()
	var headers []string
	if version > 0 {
		headers = []string{"If-Match", `"` + strconv.FormatInt(version, 10) + `"`}
	}
	return h.env.Do(h.t, h.h, id, method, "/api/v1/grants"+path, body, headers...)
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", w.Body.String(), err)
	}
	return v
}

func want(t *testing.T, w *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
	if code != "" {
		p := decode[map[string]any](t, w)
		if p["code"] != code {
			t.Fatalf("code %v, want %s: %s", p["code"], code, w.Body.String())
		}
	}
}

type appJSON struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	State     string `json:"state"`
	Version   int64  `json:"version"`
	Amount    int64  `json:"amount"`
	Reason    string `json:"reason"`
	Breakdown *struct {
		Total int64 `json:"total"`
		Items []struct {
			Text   string `json:"text"`
			Amount int64  `json:"amount"`
		} `json:"items"`
	} `json:"breakdown"`
}

// setupFund creates a fund and a hardship program (assessed need up to
// ¥20,000, two approvers above ¥10,000) and returns their ids.
func (h *harness) setupFund(allocation int64) (fundID, programID string) {
	t := h.t
	w := h.do(&admin, "POST", "/funds", map[string]any{"fiscal_year": 2026, "name": "2026年度资助资金", "appropriation": 100000000}, 0)
	want(t, w, 201, "")
	fundID = decode[map[string]any](t, w)["id"].(string)
	w = h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "hardship", "name_zh": "特困干警资助", "kind": "hardship",
		"allocation": allocation, "amount_rule": map[string]any{"kind": "assessed", "cap": 2000000}, "dual_approval_above": 1000000,
		"required_documents": []string{"income_proof"}}, 0)
	want(t, w, 201, "")
	return fundID, decode[map[string]any](t, w)["id"].(string)
}

func TestApplicationChainOverHTTP(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	fundID, progID := h.setupFund(50000000)

	// bad input changes nothing
	w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": -1}, 0)
	want(t, w, 422, "validation_failed")
	w = h.do(&officer, "POST", "/applications", []byte(`{"program_id":"`+progID+`","requested_amount":12.5}`), 0)
	want(t, w, 422, "validation_failed")
	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 1, "surprise": true}, 0)
	want(t, w, 422, "validation_failed")
	w = h.do(&approverA, "POST", "/applications", map[string]any{"program_id": progID}, 0)
	want(t, w, 403, "forbidden")
	list := map[string][]appJSON{"items": items[appJSON](t, h.do(&officer, "GET", "/applications", nil, 0))}
	if len(list["items"]) != 0 {
		t.Fatalf("rejected creations left %d applications", len(list["items"]))
	}

	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 2000001,
		"documents": []string{"income_proof"}, "event_ref": "hardship:2026", "form": map[string]any{"income_per_capita": 80000}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	if !strings.HasPrefix(app.Number, "GA-2026-") || app.State != "draft" {
		t.Fatalf("created %+v", app)
	}
	id := "/applications/" + app.ID

	// over the cap: submit refused, nothing changed
	want(t, h.do(&officer, "POST", id+"/submit", nil, app.Version), 422, "validation_failed")
	w = h.do(&officer, "PUT", id, map[string]any{"requested_amount": 1500000, "documents": []string{"income_proof"}, "form": map[string]any{"income_per_capita": 80000}}, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)
	want(t, h.do(&officer, "POST", id+"/submit", nil, 0), 428, "precondition_required")
	w = h.do(&officer, "POST", id+"/submit", nil, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)
	if app.State != "submitted" || app.Amount != 1500000 {
		t.Fatalf("submitted %+v", app)
	}

	// who sees it
	for _, tc := range []struct {
		who    auth.Identity
		status int
	}{{officer, 200}, {caseworker, 200}, {auditor, 200}, {stranger, 404}, {otherCW, 404}, {approverA, 404}, {finance, 404}} {
		if got := h.do(&tc.who, "GET", id, nil, 0).Code; got != tc.status {
			t.Errorf("%s GET application: %d, want %d", tc.who.UserID, got, tc.status)
		}
	}

	// out of order and stale
	want(t, h.do(&caseworker, "POST", id+"/approve", nil, app.Version), 409, "grants.transition_not_allowed")
	want(t, h.do(&caseworker, "POST", id+"/review", nil, app.Version-1), 409, "version_mismatch")
	w = h.do(&caseworker, "POST", id+"/review", nil, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)

	// the applicant can see it but not approve it; the approver now sees it
	want(t, h.do(&officer, "POST", id+"/approve", nil, app.Version), 403, "grants.role_required")
	selfApprover := officer
	selfApprover.Roles = []auth.Role{auth.RoleApprover}
	want(t, h.do(&selfApprover, "POST", id+"/approve", nil, app.Version), 403, "grants.self_approval")
	want(t, h.do(&finance, "POST", id+"/disburse", nil, app.Version), 404, "not_found")
	w = h.do(&approverA, "POST", id+"/approve", nil, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)
	if app.State != "reviewed" {
		t.Fatalf("one approval above the threshold made it %s", app.State)
	}
	want(t, h.do(&approverA, "POST", id+"/approve", nil, app.Version), 403, "grants.same_approver")
	w = h.do(&approverB, "POST", id+"/approve", nil, app.Version)
	want(t, w, 200, "")
	app = decode[appJSON](t, w)
	if app.State != "approved" {
		t.Fatalf("state %s after two approvals", app.State)
	}
	want(t, h.do(&approverB, "POST", id+"/reject", map[string]any{"reason": "late"}, app.Version), 409, "grants.transition_not_allowed")
	w = h.do(&finance, "POST", id+"/disburse", nil, app.Version)
	want(t, w, 200, "")
	if app = decode[appJSON](t, w); app.State != "disbursed" {
		t.Fatalf("state %s after disbursement", app.State)
	}

	// the ledger: finance and auditors; everyone else 404
	for _, path := range []string{"/funds/" + fundID, "/funds/" + fundID + "/position", "/funds/" + fundID + "/trial-balance", "/funds/" + fundID + "/entries"} {
		for _, who := range []auth.Identity{officer, caseworker, approverA} {
			if got := h.do(&who, "GET", path, nil, 0).Code; got != 404 {
				t.Errorf("%s GET %s: %d, want 404", who.UserID, path, got)
			}
		}
		if got := h.do(&auditor, "GET", path, nil, 0).Code; got != 200 {
			t.Errorf("auditor GET %s: %d", path, got)
		}
	}
	tb := decode[map[string]any](t, h.do(&finance, "GET", "/funds/"+fundID+"/trial-balance", nil, 0))
	if tb["balanced"] != true {
		t.Fatalf("trial balance %v", tb)
	}
	pos := decode[struct {
		Fund map[string]int64 `json:"fund"`
	}](t, h.do(&finance, "GET", "/funds/"+fundID+"/position", nil, 0))
	if pos.Fund["committed"] != 1500000 || pos.Fund["disbursed"] != 1500000 || pos.Fund["remaining"] != 98500000 {
		t.Fatalf("position %v", pos.Fund)
	}

	// export: a job with progress, a download with a BOM and totals that match the trial balance
	want(t, h.do(&approverA, "POST", "/exports", map[string]any{"fund_id": fundID, "from": "2026-01-01", "to": "2026-12-31", "format": "csv"}, 0), 403, "forbidden")
	want(t, h.do(&finance, "POST", "/exports", map[string]any{"fund_id": fundID, "from": "2026-13-01", "to": "2026-12-31", "format": "pdf"}, 0), 422, "validation_failed")
	w = h.do(&finance, "POST", "/exports", map[string]any{"fund_id": fundID, "from": "2026-01-01", "to": "2026-12-31", "format": "csv"}, 0)
	want(t, w, 202, "")
	job := decode[map[string]any](t, w)
	jobPath := "/exports/" + job["id"].(string)
	apptest.Eventually(t, 20*time.Second, "export done", func() bool {
		return decode[map[string]any](t, h.do(&finance, "GET", jobPath, nil, 0))["state"] == "done"
	})
	want(t, h.do(&finance2, "GET", jobPath, nil, 0), 404, "not_found")
	want(t, h.do(&finance2, "GET", jobPath+"/download", nil, 0), 404, "not_found")
	w = h.do(&finance, "GET", jobPath+"/download", nil, 0)
	want(t, w, 200, "")
	body := w.Body.String()
	if !strings.HasPrefix(body, "\uFEFF凭证号,") {
		t.Fatalf("csv starts %q", body[:min(40, len(body))])
	}
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	total := tb["total_debit"].(float64) / 100
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "合计,") || !strings.Contains(last, fmt.Sprintf("%.2f,%.2f", total, total)) {
		t.Fatalf("totals row %q, trial balance total %.2f", last, total)
	}
	// finance reconciles with the bank by the payee's name: in full, and
	// the request and the download are each audited
	if !strings.Contains(body, "张三丰") {
		t.Fatal("the export does not name the payee in full")
	}
	for _, action := range []string{"grants.export.request", "grants.export.download"} {
		if n := h.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND actor = $2 AND object_id = $3 AND after->>'payee_names' = 'full'`,
			action, finance.UserID, job["id"]); n != 1 {
			t.Errorf("%d audit rows %s of the export, want 1", n, action)
		}
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="ledger_2026-01-01_2026-12-31.csv"; filename*=UTF-8''%E5%88%86%E7%B1%BB%E8%B4%A6_2026-01-01_2026-12-31.csv` {
		t.Errorf("Content-Disposition %q", cd)
	}

	// outbox → NATS: the relay publishes what the chain wrote
	apptest.Eventually(t, 10*time.Second, "events relayed", func() bool {
		return h.count(`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND type IN ('application.submitted','application.approved','grant.disbursed')`) == 3
	})
}

// count runs a count query in the service's schema on a connection of the
// test's own.
func (h *harness) count(q string, args ...any) int {
	h.t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: "grants", MaxOpenConns: 1})
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Get(&n, q, args...); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestBudgetExhaustedOverHTTP(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(1000000) // room for one ¥10,000 grant
	var ids []appJSON
	for i := range 2 {
		who := auth.Identity{UserID: fmt.Sprintf("u-m%d", i), MemberID: fmt.Sprintf("m%d", i), Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"unit-1"}}
		w := h.do(&who, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 1000000, "documents": []string{"income_proof"}}, 0)
		want(t, w, 201, "")
		app := decode[appJSON](t, w)
		w = h.do(&who, "POST", "/applications/"+app.ID+"/submit", nil, app.Version)
		want(t, w, 200, "")
		app = decode[appJSON](t, w)
		w = h.do(&caseworker, "POST", "/applications/"+app.ID+"/review", nil, app.Version)
		want(t, w, 200, "")
		ids = append(ids, decode[appJSON](t, w))
	}
	want(t, h.do(&approverA, "POST", "/applications/"+ids[0].ID+"/approve", nil, ids[0].Version), 200, "")
	w := h.do(&approverA, "POST", "/applications/"+ids[1].ID+"/approve", nil, ids[1].Version)
	want(t, w, 409, "grants.budget_exhausted")
	if title := decode[map[string]any](t, w)["title"].(string); !strings.Contains(title, "¥0.00") {
		t.Fatalf("title %q does not say what is left", title)
	}
	after := decode[appJSON](t, h.do(&approverA, "GET", "/applications/"+ids[1].ID, nil, 0))
	if after.Version != ids[1].Version || after.State != "reviewed" {
		t.Fatalf("a refused approval changed the application: %+v", after)
	}
}

func TestEventsOpenNotices(t *testing.T) {
	h := start(t)
	fundID, _ := h.setupFund(1000000)
	w := h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "martyr", "name_zh": "英烈家属资助", "kind": "martyr_family",
		"allocation": 10000000, "amount_rule": map[string]any{"kind": "fixed", "fixed": 500000}, "dual_approval_above": 1000000,
		"eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true}}, 0)
	want(t, w, 201, "")
	w = h.do(&admin, "POST", "/programs", map[string]any{"fund_id": fundID, "code": "disabled", "name_zh": "因公伤残干警资助", "kind": "disabled_on_duty",
		"allocation": 10000000, "amount_rule": map[string]any{"kind": "by_grade", "by_grade": []int64{900000, 800000, 700000, 600000, 500000, 400000, 300000, 200000, 100000, 50000}},
		"dual_approval_above": 1000000, "eligibility": map[string]any{"event": "disability_graded"}}, 0)
	want(t, w, 201, "")
	ctx := context.Background()
	publish := func(source, typ, subject string, data any) {
		ev, err := bus.NewEvent(source, typ, 1, subject, 2, data, h.env.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(ev)
		if _, err := h.env.Deps.Bus.JS.Publish(ctx, ev.Subject(), raw); err != nil {
			t.Fatal(err)
		}
	}
	publish("enrollment", "member.deceased", "m-9", map[string]any{"member_id": "m-9", "unit_id": "unit-1", "category": "police",
		"status_date": "2026-11-20", "death_cause": "line_of_duty", "dependants": []map[string]any{{"dependant_id": "d-1", "relation": "spouse"}, {"dependant_id": "d-2", "relation": "child"}}})
	publish("injury", "case.graded", "c-1", map[string]any{"case_id": "c-1", "number": "GC-2026-000001", "member_id": "m-8", "unit_id": "unit-1",
		"injury_date": "2026-05-01", "grade": 4, "nursing": "none", "graded_on": "2026-11-01"})
	apptest.Eventually(t, 15*time.Second, "notices opened", func() bool {
		w := h.do(&caseworker, "GET", "/notices", nil, 0)
		return w.Code == 200 && len(decode[noticePage](t, w).Items) == 3
	})
	if n := len(decode[noticePage](t, h.do(&otherCW, "GET", "/notices", nil, 0)).Items); n != 0 {
		t.Fatalf("another unit's caseworker sees %d notices", n)
	}
	// A page at a time (pkg/page): two pages of two hold the three notices once.
	all := map[string]bool{}
	for _, n := range decode[noticePage](t, h.do(&caseworker, "GET", "/notices", nil, 0)).Items {
		all[n["id"].(string)] = true
	}
	walkNotices(t, h, "/notices?limit=2", all)
	want(t, h.do(&caseworker, "GET", "/notices?after=nonsense", nil, 0), 422, "validation_failed")
	want(t, h.do(&officer, "GET", "/notices", nil, 0), 403, "forbidden")

	// a caseworker turns a notice into an application; the grade comes with it
	var graded map[string]any
	for _, n := range decode[noticePage](t, h.do(&caseworker, "GET", "/notices", nil, 0)).Items {
		if n["member_id"] == "m-8" {
			graded = n
		}
	}
	want(t, h.do(&otherCW, "POST", "/applications", map[string]any{"notice_id": graded["id"], "applicant_user_id": "u-m8", "unit_id": "unit-2"}, 0), 404, "not_found")
	w = h.do(&caseworker, "POST", "/applications", map[string]any{"notice_id": graded["id"], "applicant_user_id": "u-m8", "applicant_name": "孙八"}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	as := decode[map[string]any](t, h.do(&caseworker, "GET", "/applications/"+app.ID+"/assessment", nil, 0))
	if as["eligible"] != true || as["amount"].(float64) != 600000 {
		t.Fatalf("assessment of a grade-4 notice: %v", as)
	}
	left := decode[noticePage](t, h.do(&caseworker, "GET", "/notices", nil, 0)).Items
	if len(left) != 2 {
		t.Fatalf("open notices after conversion: %d", len(left))
	}
}

// TestEveryEndpointGuardsAccess: every route, called by a role with no
// business there, answers 401 without a token and 403 or 404 with one,
// and never 2xx.
func TestEveryEndpointGuardsAccess(t *testing.T) {
	h := start(t)
	fundID, progID := h.setupFund(1000000)
	w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 100, "documents": []string{"income_proof"}}, 0)
	want(t, w, 201, "")
	appID := decode[appJSON](t, w).ID
	engine := h.h.(*gin.Engine)
	for _, r := range engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/grants/") {
			continue
		}
		path := strings.NewReplacer(":id", "x").Replace(strings.TrimPrefix(r.Path, "/api/v1/grants"))
		switch {
		case strings.HasPrefix(path, "/applications/x"):
			path = strings.Replace(path, "/applications/x", "/applications/"+appID, 1)
		case strings.HasPrefix(path, "/funds/x"):
			path = strings.Replace(path, "/funds/x", "/funds/"+fundID, 1)
		}
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			if got := h.do(nil, r.Method, path, nil, 0).Code; got != 401 {
				t.Errorf("anonymous: %d, want 401", got)
			}
			if got := h.do(&stranger, r.Method, path, map[string]any{}, 1).Code; got < 400 && !publicRoute(r.Method, r.Path) {
				t.Errorf("stranger: %d, want 403 or 404", got)
			}
		})
	}
}

// publicRoute: routes any signed-in person may use (choose a program, see
// their own applications, start one; the family-care lists, scoped to the
// caller: empty for a stranger, as TestFamilyCareAccessMatrix shows).
func publicRoute(method, path string) bool {
	return slices.Contains([]string{"GET /api/v1/grants/programs", "GET /api/v1/grants/programs/:id", "GET /api/v1/grants/applications",
		"POST /api/v1/grants/applications", "GET /api/v1/grants/care/records", "GET /api/v1/grants/care/mine", "GET /api/v1/grants/care/queue"}, method+" "+path)
}

// TestRoutesMatchOpenAPI: every route is in api/openapi/grants.yaml and
// every path there is served.
func TestRoutesMatchOpenAPI(t *testing.T) {
	h := start(t)
	raw, err := os.ReadFile(filepath.Join("..", "..", "api", "openapi", "grants.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths       map[string]map[string]any `yaml:"paths"`
		Operational []string                  `yaml:"x-operational-paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var spec []string
	for p, item := range doc.Paths {
		methods := []string{}
		for m := range item {
			if m == "$ref" {
				methods = append(methods, "post")
			}
			if slices.Contains([]string{"get", "post", "put", "delete", "patch"}, m) {
				methods = append(methods, m)
			}
		}
		for _, m := range methods {
			spec = append(spec, strings.ToUpper(m)+" /api/v1/grants"+p)
		}
	}
	for _, p := range doc.Operational {
		spec = append(spec, "GET "+p)
	}
	var served []string
	for _, r := range h.h.(*gin.Engine).Routes() {
		p := r.Path
		for strings.Contains(p, "/:") {
			i := strings.Index(p, "/:")
			j := strings.IndexByte(p[i+1:], '/')
			name := p[i+2:]
			if j >= 0 {
				name = p[i+2 : i+1+j]
			}
			p = strings.Replace(p, "/:"+name, "/{"+name+"}", 1)
		}
		served = append(served, r.Method+" "+p)
	}
	slices.Sort(spec)
	slices.Sort(served)
	for _, s := range served {
		if !slices.Contains(spec, s) {
			t.Errorf("served but not in grants.yaml: %s", s)
		}
	}
	for _, s := range spec {
		if !slices.Contains(served, s) {
			t.Errorf("in grants.yaml but not served: %s", s)
		}
	}
}

func TestFinanceAndAdminOverHTTP(t *testing.T) {
	h := start(t)
	fundID, _ := h.setupFund(1000000)

	want(t, h.do(&admin, "PUT", "/rates", map[string]any{"kind": "regional_monthly_wage", "valid_from": "2026-01-01", "amount": 850000, "source": "省人社厅"}, 0), 200, "")
	want(t, h.do(&admin, "PUT", "/rates", map[string]any{"kind": "national_income", "valid_from": "2025-06-01", "amount": 5600000}, 0), 422, "validation_failed")
	want(t, h.do(&admin, "PUT", "/rates", map[string]any{"kind": "bonus", "valid_from": "x", "amount": -1}, 0), 422, "validation_failed")
	want(t, h.do(&caseworker, "PUT", "/rates", map[string]any{"kind": "national_income", "valid_from": "2025-01-01", "amount": 1}, 0), 403, "forbidden")
	rates := decode[listOf[map[string]any]](t, h.do(&caseworker, "GET", "/rates", nil, 0)).Items
	if len(rates) != 7 { // six national income figures from the migration + the wage
		t.Fatalf("rates %v", rates)
	}

	entries := items[map[string]any](t, h.do(&finance, "GET", "/funds/"+fundID+"/entries", nil, 0))
	if len(entries) != 1 || entries[0]["voucher"] != "记-2026-000001" {
		t.Fatalf("entries %v", entries)
	}
	appr := entries[0]["id"].(string)
	want(t, h.do(&caseworker, "POST", "/entries/"+appr+"/reverse", nil, 0), 404, "not_found")
	// the program's allocation still needs the appropriation: the reversal is refused and nothing is booked
	// a reversal says why: no reason, no reversal
	want(t, h.do(&finance, "POST", "/entries/"+appr+"/reverse", map[string]string{}, 0), 422, "validation_failed")
	want(t, h.do(&finance, "POST", "/entries/"+appr+"/reverse", map[string]string{"reason": strings.Repeat("错", 201)}, 0), 422, "validation_failed")
	want(t, h.do(&finance, "POST", "/entries/"+appr+"/reverse", map[string]string{"reason": "拨款录入有误"}, 0), 409, "grants.appropriation_short")
	if n := len(items[map[string]any](t, h.do(&finance, "GET", "/funds/"+fundID+"/entries", nil, 0))); n != 1 {
		t.Fatalf("entries after a refused reversal: %d", n)
	}

	w := h.do(&finance, "POST", "/exports", map[string]any{"fund_id": fundID, "from": "2026-01-01", "to": "2026-12-31", "format": "xlsx"}, 0)
	want(t, w, 202, "")
	jobPath := "/exports/" + decode[map[string]any](t, w)["id"].(string)
	apptest.Eventually(t, 20*time.Second, "xlsx export done", func() bool {
		return decode[map[string]any](t, h.do(&finance, "GET", jobPath, nil, 0))["state"] == "done"
	})
	job := decode[map[string]any](t, h.do(&finance, "GET", jobPath, nil, 0))
	if job["rows_done"].(float64) != 4 || job["rows_total"].(float64) != 4 {
		t.Fatalf("progress %v", job)
	}
	w = h.do(&finance, "GET", jobPath+"/download", nil, 0)
	want(t, w, 200, "")
	if !strings.HasPrefix(w.Body.String(), "PK") || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("not an xlsx: %q", w.Header().Get("Content-Type"))
	}
}

// items decodes a page of a list: {"items": [...], "next": "<cursor>"}.
func items[T any](t *testing.T, w *httptest.ResponseRecorder) []T {
	t.Helper()
	return decode[struct {
		Items []T    `json:"items"`
		Next  string `json:"next"`
	}](t, w).Items
}
