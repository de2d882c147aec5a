package leave_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

// objects are one of each thing member m1 of unit u1 owns.
type objects struct {
	request, facility, session, booking, round, slot, check string
}

type idResp struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
}

func (h *harness) objects(t *testing.T) objects {
	t.Helper()
	var o objects
	create := func(id *auth.Identity, path string, body any) string {
		t.Helper()
		w := h.do(t, id, "POST", path, body)
		if w.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
		}
		return decode[idResp](t, w).ID
	}
	o.request = create(&officer1, "/api/v1/leave/requests", map[string]string{"from": "2026-12-01", "to": "2026-12-02"})
	o.facility = create(&admin, "/api/v1/leave/recuperation/facilities", map[string]string{"name": "北戴河疗养院"})
	o.session = create(&admin, "/api/v1/leave/recuperation/facilities/"+o.facility+"/sessions", map[string]any{"from": "2026-12-20", "to": "2026-12-26", "capacity": 5})
	o.booking = create(&officer1, "/api/v1/leave/recuperation/sessions/"+o.session+"/bookings", nil)
	o.round = create(&cw1, "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": "u1", "year": 2026, "opens": "2026-11-01", "closes": "2026-12-31"})
	o.slot = create(&cw1, "/api/v1/leave/health-checks/rounds/"+o.round+"/slots", map[string]any{"starts_at": time.Date(2026, 12, 10, 1, 0, 0, 0, time.UTC), "capacity": 3})
	o.check = create(&officer1, "/api/v1/leave/health-checks/slots/"+o.slot+"/bookings", nil)
	return o
}

// route is one endpoint and what outsiders get: an officer of another unit
// and a caseworker of another unit. 0 means "allowed, but sees none of m1's
// data" (lists and catalogues).
type route struct {
	method, path string
	body         any
	officer2     int
	cw2          int
}

func routes(o objects) []route {
	year := "/2026"
	m := "/api/v1/leave/members/m1"
	r := "/api/v1/leave/requests/" + o.request
	b := "/api/v1/leave/recuperation/bookings/" + o.booking
	c := "/api/v1/leave/health-checks/bookings/" + o.check
	return []route{
		{"GET", "/api/v1/leave/calendars" + year, nil, 0, 0},
		{"PUT", "/api/v1/leave/calendars" + year, calendar2026, 403, 403},
		{"POST", "/api/v1/leave/calendars/2027/notice", []byte("2027-01-01,holiday\n"), 403, 403},
		{"GET", "/api/v1/leave/working-days?from=2026-12-01&to=2026-12-31", nil, 0, 0},
		{"GET", m + "/balance", nil, 404, 404},
		{"GET", m + "/entitlement", nil, 404, 404},
		{"GET", m + "/injury-leaves", nil, 404, 404},
		{"GET", "/api/v1/leave/my/care", nil, 0, 403},
		{"POST", m + "/adjustments", map[string]any{"year": 2026, "days": -1, "reason": "x"}, 403, 404},
		{"PUT", m + "/absences" + year, map[string]any{"personal_days": 30}, 403, 404},
		{"PUT", m + "/priority-flags", map[string]any{"martyr_family": true}, 403, 404},
		{"PUT", m + "/carry-over" + year, map[string]any{"days": 1, "reason": "x"}, 403, 404},
		{"PUT", m + "/pay" + year, map[string]any{"annual_pay": "1.00"}, 403, 403},
		{"PUT", m + "/waiver" + year, map[string]any{"signed_on": "2026-11-27"}, 403, 404},
		{"GET", "/api/v1/leave/units/u1/balances", nil, 403, 404},
		{"GET", "/api/v1/leave/reports/overview", nil, 403, 403},
		{"PUT", "/api/v1/leave/reports/uptake-targets" + year, map[string]int{"target_percent": 80}, 403, 403},
		{"POST", "/api/v1/leave/requests/quote", map[string]string{"from": "2026-12-01", "to": "2026-12-02"}, 0, 403},
		{"POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-07", "to": "2026-12-07"}, 0, 403},
		{"GET", "/api/v1/leave/requests", nil, 0, 0},
		{"GET", r, nil, 404, 404},
		{"GET", r + "/slip.pdf", nil, 404, 404},
		{"POST", r + "/approve", nil, 403, 403},
		{"POST", r + "/reject", map[string]string{"comment": "no"}, 403, 403},
		{"POST", r + "/cancel", nil, 404, 404},
		{"POST", "/api/v1/leave/rollovers/2025", nil, 403, 403},
		{"GET", "/api/v1/leave/rollovers/2025", nil, 403, 403},
		{"GET", "/api/v1/leave/compensation" + year, nil, 403, 403},
		{"POST", "/api/v1/leave/pay-imports" + year + "?format=csv", []byte("人员编号,全年工资收入\nm1,1\n"), 403, 403},
		{"GET", "/api/v1/leave/recuperation/facilities", nil, 0, 0},
		{"POST", "/api/v1/leave/recuperation/facilities", map[string]string{"name": "x"}, 403, 0},
		{"POST", "/api/v1/leave/recuperation/facilities/" + o.facility + "/sessions", map[string]any{"from": "2026-12-20", "to": "2026-12-21", "capacity": 1}, 403, 0},
		{"GET", "/api/v1/leave/recuperation/sessions", nil, 0, 0},
		{"GET", "/api/v1/leave/recuperation/sessions/" + o.session, nil, 0, 0},
		{"PATCH", "/api/v1/leave/recuperation/sessions/" + o.session, map[string]int{"capacity": 1}, 403, 0},
		{"POST", "/api/v1/leave/recuperation/sessions/" + o.session + "/bookings", map[string]string{"member_id": "m1"}, 404, 404},
		{"GET", "/api/v1/leave/recuperation/quotas" + year, nil, 403, 0},
		{"PUT", "/api/v1/leave/recuperation/quotas" + year + "/u1", map[string]int{"places": 0}, 403, 403},
		{"GET", "/api/v1/leave/recuperation/bookings", nil, 0, 0},
		{"GET", b, nil, 404, 404},
		{"POST", b + "/cancel", nil, 404, 404},
		{"POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": "u1", "year": 2026, "opens": "2026-11-01", "closes": "2026-12-31"}, 403, 404},
		{"GET", "/api/v1/leave/health-checks/rounds", nil, 0, 0},
		{"POST", "/api/v1/leave/health-checks/rounds/" + o.round + "/slots", map[string]any{"starts_at": "2026-12-11T01:00:00Z", "capacity": 1}, 403, 404},
		{"GET", "/api/v1/leave/health-checks/rounds/" + o.round + "/slots", nil, 404, 404},
		{"POST", "/api/v1/leave/health-checks/slots/" + o.slot + "/bookings", map[string]string{"member_id": "m1"}, 404, 404},
		{"GET", "/api/v1/leave/health-checks/bookings", nil, 0, 0},
		{"GET", c, nil, 404, 404},
		// Results need the medical caseworker role: a plain caseworker
		// lacks it, wherever they work.
		{"POST", c + "/complete", map[string]string{"result": "x"}, 403, 403},
		{"POST", c + "/no-show", nil, 403, 404},
		{"POST", c + "/cancel", nil, 404, 404},
		{"GET", c + "/result", nil, 404, 404},
		{"GET", "/api/v1/leave/health-checks/compliance", nil, 403, 0},
		{"POST", "/api/v1/leave/health-checks/reminders", nil, 403, 403},
		{"GET", "/api/v1/leave/admin/dead-letters", nil, 403, 403},
		{"POST", "/api/v1/leave/admin/dead-letters/1/replay", nil, 403, 403},
		{"GET", "/api/v1/leave/admin/audit", nil, 403, 403},
		{"GET", "/api/v1/leave/admin/audit/verify", nil, 403, 403},
	}
}

// TestAccessEveryEndpoint calls every route as nobody (401), as an officer
// of another unit and as a caseworker of another unit: m1's objects answer
// 404 (or 403 where the role itself is missing), lists never show them, and
// nothing of m1's changes.
func TestAccessEveryEndpoint(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	o := h.objects(t)
	snapshot := func() string {
		var b strings.Builder
		for _, p := range []string{"/api/v1/leave/requests/" + o.request, "/api/v1/leave/recuperation/bookings/" + o.booking,
			"/api/v1/leave/health-checks/bookings/" + o.check, "/api/v1/leave/members/m1/balance"} {
			b.WriteString(h.do(t, &officer1, "GET", p, nil).Body.String())
		}
		return b.String()
	}
	before := snapshot()
	rs := routes(o)
	for _, rt := range rs {
		if w := h.do(t, nil, rt.method, rt.path, rt.body, "If-Match", `"1"`); w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s anonymous: %d", rt.method, rt.path, w.Code)
		}
		for _, who := range []struct {
			id   auth.Identity
			want int
		}{{officer2, rt.officer2}, {cw2, rt.cw2}} {
			if who.want == 0 && rt.method != "GET" {
				continue // allowed actions on the caller's own scope are covered elsewhere
			}
			w := h.do(t, &who.id, rt.method, rt.path, rt.body, "If-Match", `"1"`)
			switch {
			case who.want == 0:
				if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"m1"`) {
					t.Errorf("%s %s as %s: %d %s", rt.method, rt.path, who.id.UserID, w.Code, w.Body)
				}
			case w.Code != who.want:
				t.Errorf("%s %s as %s: %d, want %d (%s)", rt.method, rt.path, who.id.UserID, w.Code, who.want, w.Body)
			}
		}
	}
	// m1's family: their identity carries m1's member id (their grants and
	// cases are about m1), but m1's leave, stays, health checks and results
	// are m1's own: they neither see nor cancel them.
	family1 := auth.Identity{UserID: "user-f1", MemberID: "m1", Roles: []auth.Role{auth.RoleFamily}, Units: []string{"u1"}}
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/leave/members/m1/balance"}, {"GET", "/api/v1/leave/requests/" + o.request}, {"GET", "/api/v1/leave/requests/" + o.request + "/slip.pdf"},
		{"POST", "/api/v1/leave/requests/" + o.request + "/cancel"},
		{"GET", "/api/v1/leave/recuperation/bookings/" + o.booking}, {"POST", "/api/v1/leave/recuperation/bookings/" + o.booking + "/cancel"},
		{"GET", "/api/v1/leave/health-checks/bookings/" + o.check}, {"POST", "/api/v1/leave/health-checks/bookings/" + o.check + "/cancel"},
		{"GET", "/api/v1/leave/health-checks/bookings/" + o.check + "/result"},
	} {
		if w := h.do(t, &family1, p.method, p.path, nil, "If-Match", `"1"`); w.Code != http.StatusNotFound && w.Code != http.StatusForbidden {
			t.Errorf("%s %s as m1's family: %d %s", p.method, p.path, w.Code, w.Body)
		}
	}
	for _, p := range []string{"/api/v1/leave/requests", "/api/v1/leave/recuperation/bookings", "/api/v1/leave/health-checks/bookings"} {
		if w := h.do(t, &family1, "GET", p, nil); w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"m1"`) {
			t.Errorf("GET %s as m1's family: %d %s", p, w.Code, w.Body)
		}
	}
	// The home page's care: m1's own stay and check for m1, nothing for
	// their family (not an officer).
	if w := h.do(t, &officer1, "GET", "/api/v1/leave/my/care", nil); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), o.booking) || !strings.Contains(w.Body.String(), o.check) {
		t.Errorf("GET /my/care as m1: %d %s", w.Code, w.Body)
	}
	if w := h.do(t, &family1, "GET", "/api/v1/leave/my/care", nil); w.Code != http.StatusForbidden {
		t.Errorf("GET /my/care as m1's family: %d %s", w.Code, w.Body)
	}
	// Results: not even the unit's other caseworkers or its head.
	for _, id := range []auth.Identity{cw1, head1, auditor} {
		if w := h.do(t, &id, "GET", "/api/v1/leave/health-checks/bookings/"+o.check+"/result", nil); w.Code != http.StatusNotFound {
			t.Errorf("result as %s: %d", id.UserID, w.Code)
		}
	}
	if after := snapshot(); after != before {
		t.Fatalf("m1's objects changed:\n%s\n%s", before, after)
	}
	if len(rs) != len(h.svc.Handler().(*gin.Engine).Routes())-2 {
		t.Errorf("the access table has %d routes, the router %d (besides /healthz /readyz)", len(rs), len(h.svc.Handler().(*gin.Engine).Routes())-2)
	}
}
