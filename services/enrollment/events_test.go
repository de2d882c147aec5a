package enrollment_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// TestEventsReachNATS follows a death from the HTTP request to the events
// other services consume: the outbox relay publishes member.deceased (with
// the dependants) and enrollment.ended (the day of death the last covered
// day).
func TestEventsReachNATS(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var mu sync.Mutex
	got := map[string]bus.Event{}
	sub, err := w.env.Deps.Bus.NC.Subscribe("welfare.enrollment.>", func(m *nats.Msg) {
		ev, err := bus.ParseEnvelope(m.Data)
		if err != nil {
			t.Errorf("bad envelope on %s: %v", m.Subject, err)
			return
		}
		mu.Lock()
		got[ev.Type] = ev
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	w.must(&w.cwGAJ, 200, "POST", "/members/"+w.member+"/dependants",
		map[string]any{"relation": "spouse", "name": "王芳", "id_number": idNumber(1987, 24, false)}, "If-Match", w.version(w.member))
	w.must(&w.cwGAJ, 200, "POST", "/members/"+w.member+"/death",
		map[string]any{"date": "2026-06-10", "cause": "line_of_duty"}, "If-Match", w.version(w.member))
	apptest.Eventually(t, 15*time.Second, "member.deceased and enrollment.ended published", func() bool {
		mu.Lock()
		defer mu.Unlock()
		_, dead := got["member.deceased"]
		_, ended := got["enrollment.ended"]
		return dead && ended
	})
	mu.Lock()
	defer mu.Unlock()
	var dead struct {
		Status     string  `json:"status"`
		StatusDate string  `json:"status_date"`
		DeathCause string  `json:"death_cause"`
		Dependants []any   `json:"dependants"`
		Version    float64 `json:"version"`
	}
	if err := json.Unmarshal(got["member.deceased"].Data, &dead); err != nil {
		t.Fatal(err)
	}
	if dead.Status != "deceased" || dead.StatusDate != "2026-06-10" || dead.DeathCause != "line_of_duty" || len(dead.Dependants) != 1 {
		t.Errorf("member.deceased %s", got["member.deceased"].Data)
	}
	var ended struct {
		PeriodTo  string `json:"period_to"`
		EndReason string `json:"end_reason"`
	}
	if err := json.Unmarshal(got["enrollment.ended"].Data, &ended); err != nil {
		t.Fatal(err)
	}
	if ended.PeriodTo != "2026-06-10" || ended.EndReason != "member_deceased" {
		t.Errorf("enrollment.ended %s", got["enrollment.ended"].Data)
	}
}
