package notify_test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
)

// told returns who has an inbox entry of the event, with its kind.
func (h *harness) told(eventID string) map[string]string {
	h.t.Helper()
	var rows []struct {
		UserID string `db:"user_id"`
		Kind   string `db:"kind"`
	}
	if err := h.db.Select(&rows, `SELECT user_id, kind FROM notifications WHERE event_id = $1`, eventID); err != nil {
		h.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.UserID] = r.Kind
	}
	return out
}

func users(told map[string]string) []string { return slices.Sorted(maps.Keys(told)) }

// The officer is told when their case changes stage, when documents are
// asked for and when a calculation is ready (issue 16): the member's
// accounts (the officer, and the family who follow the case), nobody else,
// once each whatever the redeliveries. The stage change into the decision
// tells nobody: case.determined tells of it.
func TestTheOfficerIsToldOfTheirCaseOnceWhateverTheRedeliveries(t *testing.T) {
	h := newHarness(t)
	h.prefs(&officer1, map[string]any{"email": "li@county.example", "mobile": "13900139000",
		"channels": map[string]any{"case_stage_changed": []string{"email"}, "documents_requested": []string{"sms"},
			"calculation_ready": []string{"email"}}})
	with := func(kv ...any) map[string]any {
		out := map[string]any{"case_id": "c1", "number": "GC-2026-000007", "member_id": "m1", "unit_id": "u1"}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	at := h.env.Clock.Now().UTC().Format(time.RFC3339)
	stage := h.event("injury", "case.stage_changed", "c1", with("from", "treatment", "to", "determination_filing",
		"action", "file_determination", "changed_at", at))
	docs := h.event("injury", "case.documents_requested", "c1", with("requested_on", "2026-11-27"))
	calc := h.event("injury", "case.calculation_ready", "c1", with("calculation_id", 7, "computed_at", at))
	decided := h.event("injury", "case.stage_changed", "c1", with("from", "determination_filing", "to", "determination_decided",
		"action", "decide", "changed_at", at))
	for _, ev := range []bus.Event{stage, docs, calc, decided, stage, docs, calc} { // the last three are redeliveries
		h.publish(ev)
	}
	h.drained()

	for _, c := range []struct {
		ev   bus.Event
		kind string
	}{{stage, "case_stage_changed"}, {docs, "documents_requested"}, {calc, "calculation_ready"}} {
		got := h.told(c.ev.ID.String())
		if !slices.Equal(users(got), []string{"family1", "officer1"}) || got["officer1"] != c.kind || got["family1"] != c.kind {
			t.Errorf("%s told %v, want the officer and the family, as %s", c.ev.Type, got, c.kind)
		}
	}
	if got := h.told(decided.ID.String()); len(got) != 0 {
		t.Errorf("the stage change into the decision told %v", got)
	}
	apptest.Eventually(t, 60*time.Second, "the officer's three deliveries sent", func() bool {
		return h.states(stage.ID.String())["officer1/email"] == "sent" && h.states(docs.ID.String())["officer1/sms"] == "sent" &&
			h.states(calc.ID.String())["officer1/email"] == "sent"
	})
	for _, ev := range []bus.Event{stage, docs, calc} {
		if s := h.states(ev.ID.String()); len(s) != 1 {
			t.Errorf("%s deliveries %v, want one", ev.Type, s)
		}
	}
	mails := h.smtp.Mails()
	h.mu.Lock()
	sms := len(h.smsCalls)
	h.mu.Unlock()
	if len(mails) != 2 || sms != 1 {
		t.Fatalf("mails %d, sms calls %d; want 2 and 1", len(mails), sms)
	}

	// The officer reads in English; the inbox names the case and the stage.
	w := h.do(&officer1, "GET", "/inbox", nil)
	page := decode[inboxPage](t, w.Body.Bytes())
	if w.Code != http.StatusOK || len(page.Items) != 3 {
		t.Fatalf("inbox: %d %s", w.Code, w.Body)
	}
	titles := map[string]string{}
	for _, it := range page.Items {
		titles[it.Kind] = it.Title + " / " + it.Body
		if it.Link != "/cases/c1" {
			t.Errorf("%s links to %q", it.Kind, it.Link)
		}
	}
	for kind, want := range map[string]string{"case_stage_changed": "work-injury determination filed",
		"documents_requested": "2026-11-27", "calculation_ready": "GC-2026-000007"} {
		if !strings.Contains(titles[kind], want) {
			t.Errorf("%s text %q lacks %q", kind, titles[kind], want)
		}
	}
	for _, other := range []string{"cw1", "head1"} {
		var n int
		if err := h.db.Get(&n, `SELECT count(*) FROM notifications WHERE user_id = $1`, other); err != nil || n != 0 {
			t.Errorf("%s told %d times (%v)", other, n, err)
		}
	}
}

// An escalation goes to the caseworker in charge, the unit head and (at
// the committee level) the committee; before anyone took the case, to the
// unit's caseworkers instead (issue 16).
func TestAnEscalationReachesTheCaseworkerInCharge(t *testing.T) {
	h := newHarness(t)
	due := h.env.Clock.Now().UTC().Format(time.RFC3339)
	taken := h.event("injury", "case.escalated", "c1", map[string]any{"case_id": "c1", "number": "GC-2026-000008", "unit_id": "u1",
		"in_charge_user_id": "cw3", "clock": "handoff", "level": "committee", "due_at": due, "escalated_at": due})
	untaken := h.event("injury", "case.escalated", "c2", map[string]any{"case_id": "c2", "number": "GC-2026-000009", "unit_id": "u1",
		"clock": "acknowledgement", "level": "unit_head", "due_at": due, "escalated_at": due})
	for _, ev := range []bus.Event{taken, untaken, taken, untaken} {
		h.publish(ev)
	}
	h.drained()
	if got := users(h.told(taken.ID.String())); !slices.Equal(got, []string{"chair", "cw3", "head1"}) {
		t.Errorf("a taken case's escalation told %v, want the caseworker in charge, the unit head and the committee", got)
	}
	if got := users(h.told(untaken.ID.String())); !slices.Equal(got, []string{"cw1", "cw3", "head1"}) {
		t.Errorf("an untaken case's escalation told %v, want the unit's caseworkers and the unit head", got)
	}
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM notifications`); err != nil || n != 6 {
		t.Errorf("%d inbox entries (%v), want 6: one per person and event", n, err)
	}
}
