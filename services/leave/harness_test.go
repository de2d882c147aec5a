package leave_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/leave"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
)

// harness is a running leave service on its own database and NATS, at the
// apptest clock (2026-11-27 10:00 in Shanghai), with the 2026 calendar and
// a few members projected through member.* events.
type harness struct {
	env *apptest.Env
	svc *leave.Service
	h   http.Handler
}

var (
	officer1  = auth.Identity{UserID: "user-m1", MemberID: "m1", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"u1"}}
	officer2  = auth.Identity{UserID: "user-m2", MemberID: "m2", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"u2"}}
	head1     = auth.Identity{UserID: "head1", MemberID: "h1", Roles: []auth.Role{auth.RoleUnitHead, auth.RoleOfficer}, Units: []string{"u1"}}
	approver1 = auth.Identity{UserID: "approver1", Roles: []auth.Role{auth.RoleApprover}, Units: []string{"u1", "u2"}}
	cw1       = auth.Identity{UserID: "cw1", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u1"}}
	cw2       = auth.Identity{UserID: "cw2", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u2"}}
	doctor    = auth.Identity{UserID: "doctor", Roles: []auth.Role{auth.RoleMedicalCaseworker}, Units: []string{"u1"}}
	admin     = auth.Identity{UserID: "admin", Roles: []auth.Role{auth.RoleAdmin}}
	finance   = auth.Identity{UserID: "finance", Roles: []auth.Role{auth.RoleFinance}}
	auditor   = auth.Identity{UserID: "auditor", Roles: []auth.Role{auth.RoleAuditor}}
)

var calendar2026 = map[string][]string{
	"off": {"2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
		"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01",
		"2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
		"2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"},
	"work": {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	env := apptest.New(t)
	svc, err := leave.New(context.Background(), env.Deps, leave.Config{
		HTTPAddr: "127.0.0.1:0", SecondLevelAboveDays: 5, PriorityFrontline: 20, PriorityInjured: 30, PriorityMartyrFamily: 40,
		PriorityLongService: 10, LongServiceYears: 20,
	})
	if err != nil {
		t.Fatalf("leave.New: %v", err)
	}
	apptest.Run(t, svc.Run)
	h := &harness{env: env, svc: svc, h: svc.Handler()}
	// The 2026 calendar is seeded with the schema; an admin's replacement
	// with the same days keeps it and bumps its version.
	if w := h.do(t, &admin, "PUT", "/api/v1/leave/calendars/2026", calendar2026, "If-Match", `"1"`); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), `"working_days_in_year":248,"version":2`) {
		t.Fatalf("calendar: %d %s", w.Code, w.Body)
	}
	h.member(t, "m1", "u1", "police", "2010-03-01", true)
	h.member(t, "m2", "u2", "police", "2012-03-01", false)
	h.member(t, "h1", "u1", "police", "2005-03-01", false)
	return h
}

func (h *harness) do(t *testing.T, id *auth.Identity, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	return h.env.Do(t, h.h, id, method, path, body, headers...)
}

// publish sends an event as its source service would.
func (h *harness) publish(t *testing.T, source, typ, subject string, version int64, payload any) {
	t.Helper()
	ev, err := bus.NewEvent(source, typ, 1, subject, version, payload, h.env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := h.env.Deps.Bus.JS.Publish(ctx, ev.Subject(), raw); err != nil {
		t.Fatalf("publish %s: %v", typ, err)
	}
}

// member projects a member through a member.registered event and waits
// until the service knows them.
func (h *harness) member(t *testing.T, id, unit, category, hired string, frontline bool) {
	t.Helper()
	m := events.MemberV1{MemberID: id, UnitID: unit, Category: category, Status: "active", HireDate: hired, ServiceStart: hired}
	m.Post.Frontline = frontline
	h.publish(t, "enrollment", "member.registered", id, 1, m)
	staff := auth.Identity{UserID: "probe", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{unit}}
	apptest.Eventually(t, 15*time.Second, "member "+id+" projected", func() bool {
		return h.do(t, &staff, "GET", "/api/v1/leave/members/"+id+"/balance?year=2026", nil).Code == http.StatusOK
	})
}

// decode reads a JSON response body.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	return v
}

type problemBody struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Errors []struct {
		Field, Code, Message string
	} `json:"errors"`
}

// expectProblem checks status and code of a problem response.
func expectProblem(t *testing.T, w *httptest.ResponseRecorder, status int, code string) problemBody {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct == "" || ct[:len("application/problem+json")] != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	p := decode[problemBody](t, w)
	if p.Code != code || p.Title == "" {
		t.Fatalf("problem %+v, want code %s", p, code)
	}
	return p
}

func etag(v int64) string { return fmt.Sprintf("%q", fmt.Sprint(v)) }

// waitFor polls cond until it holds, for effects of events.
func waitFor(t *testing.T, _ *harness, what string, cond func() bool) {
	t.Helper()
	apptest.Eventually(t, 15*time.Second, what, cond)
}
