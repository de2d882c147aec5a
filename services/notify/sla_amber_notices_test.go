package notify_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
)

// A case's deadline approaching (case.sla_amber) reaches the caseworker in
// charge and the unit head; a critical case's also the committee, and
// before anyone took the case the unit's caseworkers instead (issue 16).
// Each person is told once, and sent one message per channel, whatever
// the redeliveries, a restart of the service included.
func TestAnAmberNoticeReachesTheCaseworkerInChargeOnce(t *testing.T) {
	h := newHarness(t)
	h.prefs(&cw3, map[string]any{"email": "zhao@county.example", "mobile": "13800138003",
		"channels": map[string]any{"case_sla_amber": []string{"email", "wecom"}}})
	h.prefs(&head1, map[string]any{"email": "head@county.example"})
	now := h.env.Clock.Now().UTC()
	due := now.Add(72 * time.Hour)
	taken := h.event("injury", "case.sla_amber", "c1", map[string]any{"case_id": "c1", "number": "GC-2026-000010",
		"member_id": "m1", "unit_id": "u1", "severity": "serious", "in_charge_user_id": "cw3", "clock": "decision",
		"level": "none", "amber_at": now.Format(time.RFC3339), "due_at": due.Format(time.RFC3339), "warned_at": now.Format(time.RFC3339)})
	untaken := h.event("injury", "case.sla_amber", "c2", map[string]any{"case_id": "c2", "number": "GC-2026-000011",
		"unit_id": "u1", "severity": "critical", "clock": "acknowledgement", "level": "none", "amber_at": now.Format(time.RFC3339),
		"due_at": now.Add(3 * time.Minute).Format(time.RFC3339), "warned_at": now.Format(time.RFC3339)})
	for _, ev := range []bus.Event{taken, untaken, taken, untaken, taken} { // the last three are redeliveries
		h.publish(ev)
	}
	h.drained()

	if got := h.told(taken.ID.String()); !slices.Equal(users(got), []string{"cw3", "head1"}) ||
		got["cw3"] != "case_sla_amber" || got["head1"] != "case_sla_amber" {
		t.Errorf("a taken case's amber notice told %v, want the caseworker in charge and the unit head", got)
	}
	if got := users(h.told(untaken.ID.String())); !slices.Equal(got, []string{"chair", "cw1", "cw3", "head1"}) {
		t.Errorf("an untaken critical case's amber notice told %v, want the unit's caseworkers, the unit head and the committee", got)
	}
	want := map[string]map[string]string{
		taken.ID.String():   {"cw3/email": "sent", "cw3/wecom": "sent", "head1/email": "sent"},
		untaken.ID.String(): {"cw3/email": "sent", "cw3/wecom": "sent", "cw3/sms": "sent", "head1/email": "sent"},
	}
	apptest.Eventually(t, 60*time.Second, "every amber delivery sent", func() bool {
		for id, w := range want {
			if s := h.states(id); len(s) != len(w) || !maps.Equal(s, w) {
				return false
			}
		}
		return true
	})
	sent := func() (mails, wecom, sms int) {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.smtp.Mails()), len(h.robot), len(h.smsCalls)
	}
	mails, wecom, sms := sent()
	if mails != 4 || wecom != 2 || sms != 1 {
		t.Fatalf("mails %d, wecom calls %d, sms calls %d; want 4, 2 and 1", mails, wecom, sms)
	}

	// A restarted service given both events again tells nobody again.
	h.halt()
	h.start()
	h.publish(taken)
	h.publish(untaken)
	h.drained()
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM notifications`); err != nil || n != 6 {
		t.Errorf("%d inbox entries (%v), want 6: one per person and event", n, err)
	}
	for id, w := range want {
		if s := h.states(id); !maps.Equal(s, w) {
			t.Errorf("deliveries of %s after the restart: %v, want %v", id, s, w)
		}
	}
	if m, wc, s := sent(); m != mails || wc != wecom || s != sms {
		t.Errorf("after the restart: mails %d, wecom %d, sms %d; want %d, %d, %d", m, wc, s, mails, wecom, sms)
	}

	// The caseworker reads what approaches and when, not urgently for a
	// decision due in three days; the robot's text carries no case number.
	w := h.do(&cw3, "GET", "/inbox", nil)
	page := decode[inboxPage](t, w.Body.Bytes())
	if w.Code != 200 || len(page.Items) != 2 {
		t.Fatalf("inbox: %d %s", w.Code, w.Body)
	}
	for _, it := range page.Items {
		if it.Link == "/cases/c1" {
			if it.Critical || !strings.Contains(it.Title, "GC-2026-000010") || !strings.Contains(it.Title, "时限将至") ||
				!strings.Contains(it.Body, "工伤认定决定") || !strings.Contains(it.Body, clock.Local(due).Format("2006-01-02 15:04")) {
				t.Errorf("the decision's amber notice reads %+v", it)
			}
		} else if !it.Critical || !strings.Contains(it.Title, "紧急") {
			t.Errorf("a critical case's acknowledgement amber notice is not urgent: %+v", it)
		}
	}
	h.mu.Lock()
	robots := append([]map[string]any(nil), h.robot...)
	h.mu.Unlock()
	for _, r := range robots {
		text, _ := r["text"].(map[string]any)
		if c, _ := text["content"].(string); strings.Contains(c, "GC-2026") || !strings.Contains(c, "https://anxin.example/cases/") {
			t.Errorf("robot text %q", c)
		}
	}
}
