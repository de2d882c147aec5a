package enrollment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/enrollment"
)

const api = "/api/v1/enrollment"

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func idNumber(year, seq int, male bool) string {
	return idcard.Generate("110105", date(year, 3, 14), seq, male)
}

// world is a running service with a committee, a police bureau and a
// court, one officer in each, a plan and one enrollment.
type world struct {
	t       *testing.T
	env     *apptest.Env
	h       http.Handler
	root    string
	gaj     string
	court   string
	member  string // police officer in gaj
	other   string // judge in court
	plan    string
	enroll  string
	admin   auth.Identity
	cwGAJ   auth.Identity
	cwCourt auth.Identity
	officer auth.Identity
	judge   auth.Identity
	finance auth.Identity
	service auth.Identity
}

type resp struct {
	status int
	body   map[string]any
	raw    string
	header http.Header
}

func (w *world) do(id *auth.Identity, method, path string, body any, headers ...string) resp {
	w.t.Helper()
	rec := w.env.Do(w.t, w.h, id, method, api+path, body, headers...)
	r := resp{status: rec.Code, raw: rec.Body.String(), header: rec.Header()}
	_ = json.Unmarshal(rec.Body.Bytes(), &r.body)
	return r
}

func (w *world) must(id *auth.Identity, status int, method, path string, body any, headers ...string) resp {
	w.t.Helper()
	r := w.do(id, method, path, body, headers...)
	if r.status != status {
		w.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r
}

func (r resp) str(key string) string { s, _ := r.body[key].(string); return s }

func (r resp) code() string { return r.str("code") }

// fieldsOf lists the field names of a problem.
func (r resp) fields() []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		out = append(out, fmt.Sprint(m["field"], "=", m["code"]))
	}
	return out
}

func newWorld(t *testing.T) *world {
	t.Helper()
	env := apptest.New(t)
	svc, err := enrollment.New(context.Background(), env.Deps, enrollment.Config{Schema: "enrollment", HTTPAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, svc.Run)
	w := &world{t: t, env: env, h: svc.Handler()}
	w.admin = auth.Identity{UserID: "u-admin", Roles: []auth.Role{auth.RoleAdmin}}
	w.root = w.must(&w.admin, 201, "POST", "/units", map[string]any{"code": "ZFW", "name": "县委政法委", "kind": "committee"}).str("id")
	w.admin.Units = []string{w.root}
	w.gaj = w.must(&w.admin, 201, "POST", "/units", map[string]any{"code": "GAJ", "name": "县公安局", "kind": "police_bureau", "parent_id": w.root}).str("id")
	w.court = w.must(&w.admin, 201, "POST", "/units", map[string]any{"code": "FY", "name": "县人民法院", "kind": "court", "parent_id": w.root}).str("id")
	w.cwGAJ = auth.Identity{UserID: "u-cw-gaj", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{w.gaj}}
	w.cwCourt = auth.Identity{UserID: "u-cw-fy", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{w.court}}
	w.member = w.must(&w.cwGAJ, 201, "POST", "/members", map[string]any{
		"unit_id": w.gaj, "name": "张伟", "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idNumber(1985, 11, true), "phone": "13800138000", "hire_date": "2008-07-01",
	}).str("id")
	w.other = w.must(&w.cwCourt, 201, "POST", "/members", map[string]any{
		"unit_id": w.court, "name": "李娜", "category": "judge", "id_number": idNumber(1980, 22, false), "hire_date": "2003-09-01",
	}).str("id")
	w.officer = auth.Identity{UserID: "u-officer", MemberID: w.member, Roles: []auth.Role{auth.RoleOfficer}}
	w.judge = auth.Identity{UserID: "u-judge", MemberID: w.other, Roles: []auth.Role{auth.RoleOfficer}}
	w.finance = auth.Identity{UserID: "u-fin", Roles: []auth.Role{auth.RoleFinance}}
	w.service = auth.ServiceIdentity("injury")
	w.plan = w.must(&w.admin, 201, "POST", "/plans", planBody(2026)).str("id")
	w.enroll = w.must(&w.cwGAJ, 201, "POST", "/enrollments", map[string]any{"member_id": w.member, "plan_id": w.plan, "start": "2026-01-01"}).str("id")
	return w
}

func planBody(year int) map[string]any {
	return map[string]any{
		"scheme": "personal_accident", "year": year, "name": fmt.Sprintf("%d 年人身意外伤害保险", year),
		"coverage":    map[string]any{"from": fmt.Sprintf("%d-01-01", year), "to": fmt.Sprintf("%d-12-31", year)},
		"eligibility": map[string]any{"categories": []string{"police", "judicial_police"}},
		"premium_fen": 30000, "payer": "central_finance", "waiting_days": 0,
		"sums_insured": map[string]any{"death_fen": 20000000, "disability_fen": []int64{20000000, 18000000}},
	}
}

// version reads a member's current version.
func (w *world) version(id string) string {
	w.t.Helper()
	r := w.must(&w.admin, 200, "GET", "/members/"+id, nil)
	return r.header.Get("ETag")
}

// snapshot is the member as an admin reads it, to prove a refused request
// changed nothing.
func (w *world) snapshot(id string) string {
	w.t.Helper()
	return w.must(&w.admin, 200, "GET", "/members/"+id, nil).raw
}
