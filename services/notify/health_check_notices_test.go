package notify_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// The officer is reminded of a health check still to book before their
// unit's deadline, and told when it is overdue (issue 16): their own
// account only (not the family's), once each whatever the redeliveries,
// linked to the booking page, with the deadline in the inbox text.
func TestTheOfficerIsRemindedOfTheirHealthCheckOnceWhateverTheRedeliveries(t *testing.T) {
	h := newHarness(t)
	h.prefs(&officer1, map[string]any{"email": "li@county.example",
		"channels": map[string]any{"healthcheck_reminder": []string{"email"}, "healthcheck_overdue": []string{"email"}}})
	data := func(asOf string) map[string]any {
		return map[string]any{"member_id": "m1", "unit_id": "u1", "year": 2026, "deadline": "2026-04-30", "as_of": asOf}
	}
	reminder := h.event("leave", "healthcheck.reminder", "m1", data("2026-04-05"))
	overdue := h.event("leave", "healthcheck.overdue", "m1", data("2026-05-02"))
	for _, ev := range []bus.Event{reminder, overdue, reminder, overdue} { // the last two are redeliveries
		h.publish(ev)
	}
	h.drained()

	for _, c := range []struct {
		ev   bus.Event
		kind string
	}{{reminder, "healthcheck_reminder"}, {overdue, "healthcheck_overdue"}} {
		got := h.told(c.ev.ID.String())
		if !slices.Equal(users(got), []string{"officer1"}) || got["officer1"] != c.kind {
			t.Errorf("%s told %v, want the officer alone, as %s", c.ev.Type, got, c.kind)
		}
	}
	apptest.Eventually(t, 60*time.Second, "the officer's two e-mails sent", func() bool {
		return h.states(reminder.ID.String())["officer1/email"] == "sent" && h.states(overdue.ID.String())["officer1/email"] == "sent"
	})
	for _, ev := range []bus.Event{reminder, overdue} {
		if s := h.states(ev.ID.String()); len(s) != 1 {
			t.Errorf("%s deliveries %v, want one", ev.Type, s)
		}
	}
	if mails := h.smtp.Mails(); len(mails) != 2 {
		t.Fatalf("%d mails, want 2", len(mails))
	}

	// The officer reads in English: the reminder names the deadline and
	// links to the booking page.
	w := h.do(&officer1, "GET", "/inbox", nil)
	page := decode[inboxPage](t, w.Body.Bytes())
	if w.Code != http.StatusOK || len(page.Items) != 2 {
		t.Fatalf("inbox: %d %s", w.Code, w.Body)
	}
	for _, it := range page.Items {
		if it.Link != "/care" || !strings.Contains(it.Title+it.Body, "2026-04-30") {
			t.Errorf("%s: %q / %q links to %q", it.Kind, it.Title, it.Body, it.Link)
		}
		if it.Kind == "healthcheck_reminder" && !strings.Contains(it.Title, "Please have your 2026 health check by 2026-04-30") {
			t.Errorf("reminder title %q", it.Title)
		}
	}
	if n := h.unread(&family1); n != 0 {
		t.Errorf("the family has %d unread notices of the officer's health check", n)
	}
}
