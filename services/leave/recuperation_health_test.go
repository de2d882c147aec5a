package leave_test

import (
	"github.com/anxin-welfare/anxin/pkg/auth"
	"net/http"
	"strings"
	"testing"
	"time"
)

type bookingResp struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	WaitReason string `json:"wait_reason"`
	Priority   int    `json:"priority"`
	Version    int64  `json:"version"`
}

func TestRecuperationWaitlistMovesUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fac := decode[idResp](t, h.do(t, &admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]string{"name": "青城山疗养院", "location": "都江堰"}))
	sess := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/recuperation/facilities/"+fac.ID+"/sessions", map[string]any{"from": "2026-12-20", "to": "2026-12-26", "capacity": 1}))
	if w := h.do(t, &admin, "PUT", "/api/v1/leave/recuperation/quotas/2026/u1", map[string]int{"places": 5}); w.Code != http.StatusOK {
		t.Fatalf("quota: %d %s", w.Code, w.Body)
	}
	// h1 (no priority) books first and gets the only place; m1 (frontline) waits.
	first := decode[bookingResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/recuperation/sessions/"+sess.ID+"/bookings", map[string]string{"member_id": "h1"}))
	second := decode[bookingResp](t, h.do(t, &officer1, "POST", "/api/v1/leave/recuperation/sessions/"+sess.ID+"/bookings", nil))
	if first.Status != "confirmed" || second.Status != "waitlisted" || second.WaitReason != "leave.recuperation.session_full" || second.Priority != 20 {
		t.Fatalf("bookings: %+v %+v", first, second)
	}
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/recuperation/sessions/"+sess.ID+"/bookings", nil), http.StatusConflict, "leave.recuperation.already_booked")
	// m2's unit has no quota: waitlisted for that reason in a session with room.
	roomy := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/recuperation/facilities/"+fac.ID+"/sessions", map[string]any{"from": "2026-12-27", "to": "2026-12-30", "capacity": 9}))
	other := decode[bookingResp](t, h.do(t, &officer2, "POST", "/api/v1/leave/recuperation/sessions/"+roomy.ID+"/bookings", nil))
	if other.WaitReason != "leave.recuperation.quota_exhausted" {
		t.Fatalf("no-quota booking: %+v", other)
	}
	w := h.do(t, &cw1, "POST", "/api/v1/leave/recuperation/bookings/"+first.ID+"/cancel", nil, "If-Match", etag(first.Version))
	if w.Code != http.StatusOK {
		t.Fatalf("cancel: %d %s", w.Code, w.Body)
	}
	moved := decode[bookingResp](t, h.do(t, &officer1, "GET", "/api/v1/leave/recuperation/bookings/"+second.ID, nil))
	if moved.Status != "confirmed" {
		t.Fatalf("waitlist did not move: %+v", moved)
	}
	s := h.do(t, &officer1, "GET", "/api/v1/leave/recuperation/sessions/"+sess.ID, nil)
	if !strings.Contains(s.Body.String(), `"capacity":1,"booked":1`) {
		t.Fatalf("session: %s", s.Body)
	}
	expectProblem(t, h.do(t, &cw1, "PATCH", "/api/v1/leave/recuperation/sessions/"+sess.ID, map[string]int{"capacity": 0}, "If-Match", `"1"`),
		http.StatusUnprocessableEntity, "validation_failed")
}

func TestHealthCheckResultsAndCompliance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	round := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": "u1", "year": 2026, "opens": "2026-11-01", "closes": "2026-12-15"}))
	slot := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots",
		map[string]any{"starts_at": time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), "capacity": 1}))
	w := h.do(t, &officer1, "POST", "/api/v1/leave/health-checks/slots/"+slot.ID+"/bookings", nil)
	if w.Code != http.StatusCreated {
		t.Fatalf("book: %d %s", w.Code, w.Body)
	}
	check := decode[idResp](t, w)
	before := h.do(t, &cw1, "GET", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots", nil).Body.String()
	expectProblem(t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/slots/"+slot.ID+"/bookings", map[string]string{"member_id": "h1"}),
		http.StatusConflict, "leave.healthcheck.slot_full")
	if after := h.do(t, &cw1, "GET", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots", nil).Body.String(); after != before {
		t.Fatalf("slot changed after a refused booking:\n%s\n%s", before, after)
	}
	expectProblem(t, h.do(t, &doctor, "POST", "/api/v1/leave/health-checks/bookings/"+check.ID+"/complete", map[string]string{"result": "血压偏高"}, "If-Match", etag(check.Version)),
		http.StatusConflict, "leave.healthcheck.not_yet_held")
	h.env.Clock.Advance(5 * 24 * time.Hour)
	expectProblem(t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/bookings/"+check.ID+"/complete", map[string]string{"result": "血压偏高"}, "If-Match", etag(check.Version)),
		http.StatusForbidden, "forbidden")
	if w := h.do(t, &doctor, "POST", "/api/v1/leave/health-checks/bookings/"+check.ID+"/complete", map[string]string{"result": "血压偏高"}, "If-Match", etag(check.Version)); w.Code != http.StatusOK {
		t.Fatalf("complete: %d %s", w.Code, w.Body)
	}
	for _, who := range []struct {
		name string
		code int
	}{{"officer1", http.StatusOK}, {"doctor", http.StatusOK}} {
		id := officer1
		if who.name == "doctor" {
			id = doctor
		}
		w := h.do(t, &id, "GET", "/api/v1/leave/health-checks/bookings/"+check.ID+"/result", nil)
		if w.Code != who.code || !strings.Contains(w.Body.String(), "血压偏高") {
			t.Fatalf("result as %s: %d %s", who.name, w.Code, w.Body)
		}
	}
	// The role counts in the medical caseworker's own units only.
	doctor2 := auth.Identity{UserID: "doctor2", Roles: []auth.Role{auth.RoleMedicalCaseworker}, Units: []string{"u2"}}
	if w := h.do(t, &doctor2, "GET", "/api/v1/leave/health-checks/bookings/"+check.ID+"/result", nil); w.Code != http.StatusNotFound {
		t.Fatalf("result as another unit's medical caseworker: %d %s", w.Code, w.Body)
	}
	if w := h.do(t, &cw1, "GET", "/api/v1/leave/health-checks/bookings?member_id=m1", nil); strings.Contains(w.Body.String(), "血压") {
		t.Fatalf("a listing shows the result: %s", w.Body)
	}
	h.env.Clock.Advance(15 * 24 * time.Hour) // past the 15 December deadline
	w = h.do(t, &approver1, "GET", "/api/v1/leave/health-checks/compliance?year=2026", nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"unit_id":"u1","year":2026,"active":2,"done":1,"booked":0,"due":0,"overdue":["h1"],"percent":"50.00"`) {
		t.Fatalf("compliance: %d %s", w.Code, w.Body)
	}
	for range 2 {
		if w := h.do(t, &admin, "POST", "/api/v1/leave/health-checks/reminders?year=2026", nil); w.Code != http.StatusOK {
			t.Fatalf("reminders: %d %s", w.Code, w.Body)
		}
	}
}
