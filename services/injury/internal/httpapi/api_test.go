package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/pg/pgtest"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
	"github.com/anxin-welfare/anxin/services/injury/internal/httpapi"
	"github.com/anxin-welfare/anxin/services/injury/internal/store"
)

// now is 2026-03-10 10:00 in Shanghai.
var now = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

// The cast of every access test. The case under test is opened by
// colleague for member m-1 of unit-1.
var (
	caseworker = domain.Actor{UserID: "u-cw", Name: "王芳", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-1"}}
	otherCW    = domain.Actor{UserID: "u-cw2", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-2"}}
	member     = domain.Actor{UserID: "u-m1", MemberID: "m-1", Roles: []roles.Role{roles.Officer}}
	colleague  = domain.Actor{UserID: "u-col", MemberID: "m-2", Roles: []roles.Role{roles.Officer}}
	stranger   = domain.Actor{UserID: "u-x", MemberID: "m-9", Roles: []roles.Role{roles.Officer}}
	admin      = domain.Actor{UserID: "u-admin", Roles: []roles.Role{roles.Admin}}
	nobody     = domain.Actor{}
)

type env struct {
	t   *testing.T
	db  *sqlx.DB
	clk *clock.Fake
	st  *store.Store
	r   *gin.Engine

	tokens *auth.Tokens
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t, store.Migrations())
	clk := clock.NewFake(now)
	st := store.New(db, clk, domain.DefaultPolicy())
	r := httpx.New(httpx.Options{Service: "injury", Logger: slog.New(slog.DiscardHandler)})
	keys, _, err := auth.LoadOrCreateKeys(filepath.Join(t.TempDir(), "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Tokens are checked against the wall clock so they stay valid
	// whatever the fake clock of the cases says.
	tokens := auth.NewTokens(keys, clock.System{})
	h := &httpapi.Handler{Store: st, Clock: clk, Identify: httpapi.IdentifyFromToken}
	h.Register(r.Group(httpapi.Prefix, auth.Middleware(tokens)))
	return &env{t: t, db: db, clk: clk, st: st, r: r, tokens: tokens}
}

type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return m
}

func (r resp) problemCode(t *testing.T) string {
	t.Helper()
	c, _ := r.json(t)["code"].(string)
	return c
}

func (e *env) do(who domain.Actor, method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
		ct = "application/octet-stream"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
		ct = "application/json"
	}
	req := httptest.NewRequest(method, httpapi.Prefix+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if who.UserID != "" {
		id := auth.Identity{UserID: who.UserID, MemberID: who.MemberID, Name: who.Name, Units: who.Units}
		for _, r := range who.Roles {
			id.Roles = append(id.Roles, auth.Role(r))
		}
		tok, err := e.tokens.Issue(id, time.Hour)
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.r.ServeHTTP(w, req)
	return resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// openCase opens the standard case as the colleague and returns its id.
func (e *env) openCase() string {
	e.t.Helper()
	r := e.do(colleague, "POST", "/cases", map[string]any{
		"member_id": "m-1", "unit_id": "unit-1", "injured_at": "2026-03-10T08:30:00+08:00",
		"place": "城关路口", "description": "查车时被撞伤腿部", "hospital": "县人民医院", "severity": "serious",
	})
	if r.Code != http.StatusCreated {
		e.t.Fatalf("open: %d %s", r.Code, r.Body)
	}
	return r.json(e.t)["id"].(string)
}

func (e *env) version(id string) int64 {
	e.t.Helper()
	var v int64
	if err := e.db.Get(&v, `SELECT version FROM cases WHERE id = $1`, id); err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Get(&n, q, args...); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// act posts an action with the current version as If-Match.
func (e *env) act(who domain.Actor, id, action string, body any) resp {
	e.t.Helper()
	return e.do(who, "POST", "/cases/"+id+"/actions/"+action, body, "If-Match", `"`+strconv.FormatInt(e.version(id), 10)+`"`)
}

// snapshot is everything a rejected request must leave unchanged.
func (e *env) snapshot() string {
	e.t.Helper()
	var s string
	if err := e.db.Get(&s, `SELECT concat_ws('|', (SELECT count(*) FROM cases), (SELECT coalesce(sum(version), 0) FROM cases),
		(SELECT count(*) FROM timeline), (SELECT count(*) FROM documents), (SELECT count(*) FROM outbox),
		(SELECT count(*) FROM audit_log), (SELECT count(*) FROM sla_clocks WHERE stopped_at IS NULL),
		(SELECT count(*) FROM calculations), (SELECT count(*) FROM parameters))`); err != nil {
		e.t.Fatal(err)
	}
	return s
}

var pdf = []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")

func TestOpenCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(colleague, "POST", "/cases", map[string]any{
		"member_id": "m-1", "unit_id": "unit-1", "injured_at": "2026-03-10T08:30", "place": "路口",
		"description": "受伤", "severity": "critical",
	})
	if r.Code != http.StatusCreated {
		t.Fatalf("open = %d %s", r.Code, r.Body)
	}
	body := r.json(t)
	if body["number"] != "GC-2026-000001" || body["access"] != "reporter" || body["clocks"] != nil || r.Header.Get("ETag") != `"1"` {
		t.Errorf("reporter's view of the new case: %s etag %s", r.Body, r.Header.Get("ETag"))
	}
	if !strings.HasPrefix(r.Header.Get("Location"), httpapi.Prefix+"/cases/") {
		t.Errorf("Location = %q", r.Header.Get("Location"))
	}
	staff := e.do(caseworker, "GET", "/cases/"+body["id"].(string), nil).json(t)
	if staff["access"] != "staff" || len(staff["clocks"].([]any)) != 4 || staff["coverage"].(map[string]any)["status"] != "pending" {
		t.Errorf("staff view: %v", staff)
	}
}

func TestOpenCaseRejections(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name   string
		who    domain.Actor
		body   any
		status int
		code   string
		field  string
		// message is the field's text, when the test pins it.
		message string
	}{
		{name: "injury in the future", who: colleague, body: map[string]any{"member_id": "m-1", "unit_id": "unit-1",
			"injured_at": "2026-03-11T08:00:00+08:00", "place": "p", "description": "d", "severity": "minor"},
			status: 422, code: "validation_failed", field: "injured_at"},
		{name: "injury in year 0006", who: colleague, body: map[string]any{"member_id": "m-1", "unit_id": "unit-1",
			"injured_at": "0006-03-10T08:00:00+08:00", "place": "p", "description": "d", "severity": "minor"},
			status: 422, code: "validation_failed", field: "injured_at", message: "应在 1950-01-01 至 2026-03-10 之间"},
		{name: "unparsable time", who: colleague, body: map[string]any{"member_id": "m-1", "unit_id": "unit-1",
			"injured_at": "yesterday", "place": "p", "description": "d", "severity": "minor"},
			status: 422, code: "validation_failed", field: "injured_at"},
		{name: "unknown severity", who: colleague, body: map[string]any{"member_id": "m-1", "unit_id": "unit-1",
			"injured_at": "2026-03-10T08:00", "place": "p", "description": "d", "severity": "bad"},
			status: 422, code: "validation_failed", field: "severity"},
		{name: "unknown member", who: colleague, body: map[string]any{"member": "m-1"}, status: 422, code: "validation_failed", field: "member"},
		{name: "caseworker of another unit", who: otherCW, body: map[string]any{"member_id": "m-1", "unit_id": "unit-1",
			"injured_at": "2026-03-10T08:00", "place": "p", "description": "d", "severity": "minor"},
			status: 422, code: "validation_failed", field: "unit_id"},
		{name: "admin may not open", who: admin, body: map[string]any{}, status: 403, code: "forbidden"},
		{name: "no identity", who: nobody, body: map[string]any{}, status: 401, code: "unauthenticated"},
	}
	for _, tt := range tests {
		before := e.snapshot()
		r := e.do(tt.who, "POST", "/cases", tt.body)
		if r.Code != tt.status || r.problemCode(t) != tt.code {
			t.Errorf("%s: %d %s", tt.name, r.Code, r.Body)
			continue
		}
		if tt.field != "" && !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: no error for %s in %s", tt.name, tt.field, r.Body)
		}
		if tt.message != "" && !strings.Contains(string(r.Body), tt.message) {
			t.Errorf("%s: the error does not say %q: %s", tt.name, tt.message, r.Body)
		}
		if after := e.snapshot(); after != before {
			t.Errorf("%s: state changed %s -> %s", tt.name, before, after)
		}
	}
}

func TestIncident(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(caseworker, "POST", "/incidents", map[string]any{
		"unit_id": "unit-1", "occurred_at": "2026-03-10T07:00:00+08:00", "place": "国道", "description": "追捕时车辆侧翻",
		"injured": []map[string]any{{"member_id": "m-1", "severity": "critical"}, {"unknown_name": "辅警张某", "severity": "minor"}},
	})
	if r.Code != http.StatusCreated {
		t.Fatalf("incident = %d %s", r.Code, r.Body)
	}
	body := r.json(t)
	cases := body["cases"].([]any)
	if len(cases) != 2 {
		t.Fatalf("cases = %v", cases)
	}
	list := e.do(caseworker, "GET", "/incidents/"+body["incident_id"].(string)+"/cases", nil).json(t)
	if len(list["cases"].([]any)) != 2 {
		t.Errorf("incident cases = %v", list)
	}
	// A bad injured entry names its index.
	r = e.do(caseworker, "POST", "/incidents", map[string]any{
		"unit_id": "unit-1", "occurred_at": "2026-03-10T07:00:00+08:00", "place": "国道", "description": "d",
		"injured": []map[string]any{{"member_id": "m-1", "severity": "critical"}, {"severity": "minor"}},
	})
	if r.Code != 422 || !strings.Contains(string(r.Body), `"field":"injured[1].member_id"`) {
		t.Errorf("bad injured = %d %s", r.Code, r.Body)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	// Deciding in triage: 409 with the caseworker's next steps, nothing changed.
	before := e.snapshot()
	r := e.act(caseworker, id, "decide", map[string]any{"decided_on": "2026-03-10", "outcome": "recognised", "clause": 1})
	if r.Code != 409 || r.problemCode(t) != "injury.transition_not_allowed" {
		t.Fatalf("decide in triage = %d %s", r.Code, r.Body)
	}
	allowed := r.json(t)["allowed_actions"].([]any)
	if len(allowed) != 3 || allowed[0] != "acknowledge" || allowed[1] != "confirm_handoff" || allowed[2] != "close" {
		t.Errorf("allowed = %v", allowed)
	}
	if e.snapshot() != before {
		t.Error("a refused transition changed something")
	}
	// The member may not acknowledge: 403 (they can see the case).
	if r := e.act(member, id, "acknowledge", nil); r.Code != 403 || r.problemCode(t) != "injury.role_not_allowed" {
		t.Errorf("member acknowledges = %d %s", r.Code, r.Body)
	}
	// A field another action takes is refused.
	if r := e.act(caseworker, id, "acknowledge", map[string]any{"grade": 3}); r.Code != 422 {
		t.Errorf("foreign field = %d %s", r.Code, r.Body)
	}
	// Missing and stale If-Match.
	if r := e.do(caseworker, "POST", "/cases/"+id+"/actions/acknowledge", nil); r.Code != 428 {
		t.Errorf("no If-Match = %d %s", r.Code, r.Body)
	}
	if r := e.do(caseworker, "POST", "/cases/"+id+"/actions/acknowledge", nil, "If-Match", `"7"`); r.Code != 409 || r.problemCode(t) != "version_mismatch" {
		t.Errorf("stale If-Match = %d %s", r.Code, r.Body)
	}
	if e.snapshot() != before {
		t.Error("a refused request changed something")
	}
	steps := []struct {
		action string
		body   any
		state  string
	}{
		{"confirm_handoff", map[string]any{"hospital": "县人民医院", "guarantee_fen": 3000000}, "treatment"},
		{"file_determination", map[string]any{"filed_on": "2026-03-10"}, "determination_filing"},
		{"accept_filing", map[string]any{"accepted_on": "2026-03-10", "clear_facts": true}, "determination_filing"},
	}
	for _, s := range steps {
		r := e.act(caseworker, id, s.action, s.body)
		if r.Code != 200 || r.json(t)["state"] != s.state {
			t.Fatalf("%s = %d %s", s.action, r.Code, r.Body)
		}
	}
	// Decision before filing: 422 naming decided_on.
	before = e.snapshot()
	r = e.act(caseworker, id, "decide", map[string]any{"decided_on": "2026-03-01", "outcome": "recognised", "clause": 1})
	if r.Code != 422 || !strings.Contains(string(r.Body), `"field":"decided_on"`) || !strings.Contains(string(r.Body), "injury.decision_before_filing") {
		t.Errorf("decision before filing = %d %s", r.Code, r.Body)
	}
	if e.snapshot() != before {
		t.Error("a rejected decision changed something")
	}
	r = e.act(caseworker, id, "decide", map[string]any{"decided_on": "2026-03-10", "outcome": "recognised", "clause": 3})
	if r.Code != 200 || r.json(t)["determination"].(map[string]any)["article"] != float64(14) {
		t.Fatalf("decide = %d %s", r.Code, r.Body)
	}
	if n := e.count(`SELECT count(*) FROM outbox WHERE type = 'case.determined'`); n != 1 {
		t.Errorf("case.determined events = %d", n)
	}
	tl := e.do(member, "GET", "/cases/"+id+"/timeline", nil).json(t)["entries"].([]any)
	if len(tl) != 5 {
		t.Errorf("member's timeline has %d entries", len(tl))
	}
	// The English title comes from the catalogue.
	r = e.do(caseworker, "POST", "/cases/"+id+"/actions/decide", map[string]any{}, "If-Match", `"5"`, "Accept-Language", "en")
	if !strings.Contains(string(r.Body), "not allowed in the case's current state") {
		t.Errorf("English problem: %s", r.Body)
	}
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	path := "/cases/" + id + "/documents?kind=medical_record&file_name=" + "诊断.pdf"
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{name: "html named pdf", body: []byte("<html><script>alert(1)</script></html>"), status: 415, code: "injury.document_type_unsupported"},
		{name: "exe", body: []byte("MZ\x90\x00\x03"), status: 415, code: "injury.document_type_unsupported"},
		{name: "over 20 MB", body: append(append([]byte{}, pdf...), make([]byte, 20<<20)...), status: 413, code: "too_large"},
		{name: "empty", body: []byte{}, status: 422, code: "validation_failed"},
	}
	for _, tt := range tests {
		before := e.snapshot()
		r := e.do(member, "POST", path, tt.body)
		if r.Code != tt.status || r.problemCode(t) != tt.code {
			t.Errorf("%s: %d %s", tt.name, r.Code, r.Body)
		}
		if e.snapshot() != before {
			t.Errorf("%s: state changed", tt.name)
		}
	}
	r := e.do(member, "POST", path, pdf)
	if r.Code != 201 {
		t.Fatalf("upload = %d %s", r.Code, r.Body)
	}
	doc := r.json(t)
	docID := doc["id"].(string)
	if doc["content_type"] != "application/pdf" || doc["file_name"] != "诊断.pdf" {
		t.Errorf("document = %v", doc)
	}
	r = e.do(caseworker, "GET", "/cases/"+id+"/documents/"+docID+"/content", nil)
	if r.Code != 200 || !bytes.Equal(r.Body, pdf) || r.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download = %d %v", r.Code, r.Header)
	}
	// The reporting colleague sees only their own uploads.
	if docs := e.do(colleague, "GET", "/cases/"+id+"/documents", nil).json(t)["documents"].([]any); len(docs) != 0 {
		t.Errorf("colleague sees %d documents", len(docs))
	}
	if r := e.do(colleague, "GET", "/cases/"+id+"/documents/"+docID+"/content", nil); r.Code != 404 {
		t.Errorf("colleague downloads the member's document: %d", r.Code)
	}
}

func TestCalculations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.openCase()
	if r := e.do(caseworker, "PUT", "/parameters/regional_average_monthly_wage/2025-07-01", map[string]any{"value_fen": 700000}); r.Code != 403 {
		t.Errorf("caseworker sets a parameter: %d", r.Code)
	}
	if r := e.do(admin, "PUT", "/parameters/regional_average_monthly_wage/2025-07-01", map[string]any{"value_fen": 700000}); r.Code != 200 {
		t.Fatalf("set parameter = %d %s", r.Code, r.Body)
	}
	if r := e.do(admin, "PUT", "/parameters/bogus/2025-07-01", map[string]any{"value_fen": 1}); r.Code != 422 {
		t.Errorf("bogus parameter = %d", r.Code)
	}
	r := e.do(caseworker, "POST", "/cases/"+id+"/calculations", map[string]any{"wages_fen": []int64{300000, 300000}, "grade": 5, "nursing": "partial"})
	if r.Code != 201 {
		t.Fatalf("calculate = %d %s", r.Code, r.Body)
	}
	a := r.json(t)["assessment"].(map[string]any)
	if a["own_wage"].(map[string]any)["total_fen"] != float64(420000) || a["one_time_subsidy"].(map[string]any)["total_fen"] != float64(420000*18) {
		t.Errorf("assessment = %v", a)
	}
	if r := e.do(member, "POST", "/cases/"+id+"/calculations", map[string]any{"wages_fen": []int64{1}}); r.Code != 403 {
		t.Errorf("member calculates: %d", r.Code)
	}
	if calcs := e.do(member, "GET", "/cases/"+id+"/calculations", nil).json(t)["calculations"].([]any); len(calcs) != 1 {
		t.Errorf("member sees %d calculations", len(calcs))
	}
}
