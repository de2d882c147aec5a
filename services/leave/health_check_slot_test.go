package leave_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Slots carry their place and preparation notes to the officers who book
// them; a slot on its own day is refused with that reason, not the round's
// deadline.
func TestHealthCheckSlotPlaceAndSameDay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	round := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": "u1", "year": 2026, "opens": "2026-11-01", "closes": "2026-12-31"}))
	expectProblem(t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots",
		map[string]any{"starts_at": time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC), "capacity": 5, "place": strings.Repeat("院", 201)}),
		http.StatusUnprocessableEntity, "validation_failed")
	w := h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots",
		map[string]any{"starts_at": time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC), "capacity": 5, "place": "县人民医院体检中心三楼", "notes": "空腹，带身份证"})
	if w.Code != http.StatusCreated {
		t.Fatalf("slot: %d %s", w.Code, w.Body)
	}
	list := h.do(t, &officer1, "GET", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots", nil).Body.String()
	if !strings.Contains(list, `"place":"县人民医院体检中心三楼","notes":"空腹，带身份证"`) {
		t.Fatalf("the officer's slots lack place and notes: %s", list)
	}
	// The clock stands at 2026-11-27 10:00 in Shanghai: a slot at 16:00
	// the same day can no longer be booked, and the problem says why.
	today := decode[idResp](t, h.do(t, &cw1, "POST", "/api/v1/leave/health-checks/rounds/"+round.ID+"/slots",
		map[string]any{"starts_at": time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), "capacity": 5}))
	p := expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/health-checks/slots/"+today.ID+"/bookings", nil), http.StatusConflict, "leave.healthcheck.slot_too_late")
	if !strings.Contains(p.Title, "2026-11-27") || !strings.Contains(p.Title, "提前一天") || strings.Contains(p.Title, "截止") {
		t.Errorf("same-day refusal says %q", p.Title)
	}
}
