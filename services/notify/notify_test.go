package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/notify"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels/channelstest"
)

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

type inboxPage struct {
	Items []struct {
		ID       string  `json:"id"`
		Kind     string  `json:"kind"`
		Critical bool    `json:"critical"`
		Title    string  `json:"title"`
		Body     string  `json:"body"`
		Link     string  `json:"link"`
		ReadAt   *string `json:"read_at"`
	} `json:"items"`
	Next string `json:"next"`
}

func (h *harness) prefs(id *auth.Identity, body map[string]any) {
	h.t.Helper()
	w := h.do(id, "PUT", "/preferences", body, "If-Match", `"0"`)
	if w.Code != http.StatusOK {
		h.t.Fatalf("preferences: %d %s", w.Code, w.Body)
	}
}

func (h *harness) unread(id *auth.Identity) int {
	h.t.Helper()
	w := h.do(id, "GET", "/inbox/unread", nil)
	if w.Code != http.StatusOK {
		h.t.Fatalf("unread: %d %s", w.Code, w.Body)
	}
	return decode[struct{ Count int }](h.t, w.Body.Bytes()).Count
}

func TestACriticalCaseReachesTheUnitsCaseworkersOnceWhateverTheRedeliveries(t *testing.T) {
	h := newHarness(t)
	h.prefs(&cw1, map[string]any{"email": "wang@county.example", "mobile": "13800138000",
		"channels": map[string]any{"case_opened": []string{"email", "dingtalk"}}})
	ev := h.event("injury", "case.opened", "c1", map[string]any{"case_id": "c1", "number": "GC-2026-000001", "incident_id": "i1",
		"member_id": "m1", "unit_id": "u1", "severity": "critical", "injured_at": "2026-11-27T01:00:00Z", "injury_date": "2026-11-27",
		"opened_at": "2026-11-27T01:30:00Z", "coverage_status": "pending"})
	h.publish(ev)
	h.publish(ev) // a redelivery
	h.drained()
	apptest.Eventually(t, 60*time.Second, "three deliveries sent", func() bool {
		s := h.states(ev.ID.String())
		return len(s) == 3 && s["cw1/email"] == "sent" && s["cw1/dingtalk"] == "sent" && s["cw1/sms"] == "sent"
	})
	h.mu.Lock()
	ding, sms := len(h.ding), len(h.smsCalls)
	h.mu.Unlock()
	if mails := h.smtp.Mails(); len(mails) != 1 || mails[0].To[0] != "wang@county.example" || !strings.Contains(mails[0].Subject, "GC-2026-000001") {
		t.Fatalf("mails = %+v, want one to the caseworker", mails)
	}
	if ding != 1 || sms != 1 {
		t.Fatalf("dingtalk calls %d, sms calls %d, want 1 each", ding, sms)
	}
	// The robot's text says what happened and links; no case number, no name.
	h.mu.Lock()
	text, _ := h.ding[0]["text"].(map[string]any)
	h.mu.Unlock()
	if c, _ := text["content"].(string); !strings.Contains(c, "https://anxin.example/cases/c1") || strings.Contains(c, "GC-2026") {
		t.Errorf("robot text %q", c)
	}

	w := h.do(&cw1, "GET", "/inbox", nil)
	page := decode[inboxPage](t, w.Body.Bytes())
	if w.Code != 200 || len(page.Items) != 1 || !page.Items[0].Critical || page.Items[0].Link != "/cases/c1" ||
		!strings.Contains(page.Items[0].Title, "紧急") || !strings.Contains(page.Items[0].Title, "GC-2026-000001") {
		t.Fatalf("inbox: %d %s", w.Code, w.Body)
	}
	for _, other := range []auth.Identity{cw2, head1, officer1} {
		if n := h.unread(&other); n != 0 {
			t.Errorf("%s has %d unread, want none", other.UserID, n)
		}
	}
	if n := h.unread(&cw1); n != 1 {
		t.Fatalf("unread = %d, want 1", n)
	}
	id := page.Items[0].ID
	if w := h.do(&cw2, "POST", "/inbox/"+id+"/read", nil); w.Code != http.StatusNotFound {
		t.Errorf("another's notification: %d, want 404", w.Code)
	}
	if w := h.do(&cw1, "POST", "/inbox/"+id+"/read", nil); w.Code != http.StatusNoContent {
		t.Fatalf("read: %d %s", w.Code, w.Body)
	}
	if n := h.unread(&cw1); n != 0 {
		t.Fatalf("unread after reading = %d", n)
	}
}

// The crash test of issue 16: the process dies after the receiver has the
// message and before the outcome is recorded, once per channel. E-mail and
// the WeCom robot have no idempotency: each reaches its receiver exactly
// once, and the delivery waits for an admin as "unknown" instead of going
// out a second time. The SMS gateway honours the delivery's key, so it is
// resent with the same key and its receiver shows one message.
func TestEmailAndWebhookDeliverOnceAcrossCrashes(t *testing.T) {
	h := newHarness(t)
	h.prefs(&cw1, map[string]any{"email": "wang@county.example", "mobile": "13800138000",
		"channels": map[string]any{"case_opened": []string{"email", "sms", "wecom"}}})
	// Each channel's first call stops the process from inside it, after the
	// receiver has the message; in whatever order the dispatcher takes them.
	crashed := map[string]bool{}
	var order []string
	crashOnce := func(ch string) {
		h.mu.Lock()
		first := !crashed[ch]
		if first {
			crashed[ch] = true
			order = append(order, ch)
		}
		h.mu.Unlock()
		if first {
			h.crash()
		}
	}
	h.smtp.OnData(func(channelstest.Mail) { crashOnce("email") })
	h.mu.Lock()
	h.onCall = crashOnce
	h.mu.Unlock()

	ev := h.event("injury", "case.opened", "c2", map[string]any{"case_id": "c2", "number": "GC-2026-000002", "incident_id": "i2",
		"unit_id": "u1", "severity": "serious", "injured_at": "2026-11-27T01:00:00Z", "injury_date": "2026-11-27",
		"opened_at": "2026-11-27T01:30:00Z", "coverage_status": "pending"})
	h.publish(ev)
	for round := range 3 {
		apptest.Eventually(t, 60*time.Second, fmt.Sprintf("crash %d", round+1), func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return len(order) > round
		})
		h.mu.Lock()
		ch := order[round]
		h.mu.Unlock()
		h.halt()
		if got := h.states(ev.ID.String()); got["cw1/"+ch] != "sending" {
			t.Fatalf("crash %d: after the crash in its call the %s delivery is %q, want sending (in doubt)", round+1, ch, got["cw1/"+ch])
		}
		h.env.Clock.Advance(3 * time.Minute) // the dead process's lease lapses
		h.start()
	}
	if got := slices.Sorted(maps.Keys(crashed)); !slices.Equal(got, []string{"email", "sms", "wecom"}) {
		t.Fatalf("crashed in %v", got)
	}
	apptest.Eventually(t, 60*time.Second, "every delivery settled", func() bool {
		s := h.states(ev.ID.String())
		return s["cw1/email"] == "unknown" && s["cw1/sms"] == "sent" && s["cw1/wecom"] == "unknown"
	})
	h.mu.Lock()
	robot, sms := len(h.robot), append([]string(nil), h.smsCalls...)
	h.mu.Unlock()
	if n := len(h.smtp.Mails()); n != 1 {
		t.Errorf("%d e-mails, want exactly 1", n)
	}
	if robot != 1 {
		t.Errorf("%d robot calls, want exactly 1", robot)
	}
	if len(sms) != 2 || sms[0] != sms[1] || sms[0] == "" {
		t.Errorf("sms calls %v: want the one message twice under one key", sms)
	}

	// An admin sees both in doubt, and decides; nobody else sees them.
	if w := h.do(&cw1, "GET", "/admin/deliveries", nil); w.Code != http.StatusForbidden {
		t.Errorf("caseworker on failed deliveries: %d", w.Code)
	}
	w := h.do(&admin, "GET", "/admin/deliveries", nil)
	failed := decode[struct {
		Items []struct{ ID, Channel, State string }
	}](t, w.Body.Bytes())
	if w.Code != 200 || len(failed.Items) != 2 {
		t.Fatalf("failed deliveries: %d %s", w.Code, w.Body)
	}
	var emailID string
	for _, d := range failed.Items {
		if d.State != "unknown" {
			t.Errorf("delivery %+v", d)
		}
		if d.Channel == "email" {
			emailID = d.ID
		}
	}
	if w := h.do(&cw1, "POST", "/admin/deliveries/"+emailID+"/replay", nil); w.Code != http.StatusForbidden {
		t.Errorf("caseworker replays: %d", w.Code)
	}
	if w := h.do(&admin, "POST", "/admin/deliveries/"+emailID+"/replay", nil); w.Code != http.StatusOK {
		t.Fatalf("replay: %d %s", w.Code, w.Body)
	}
	apptest.Eventually(t, 60*time.Second, "the replayed e-mail sent", func() bool {
		return h.states(ev.ID.String())["cw1/email"] == "sent"
	})
	if n := len(h.smtp.Mails()); n != 2 {
		t.Errorf("%d e-mails after the admin's replay, want 2", n)
	}
	if w := h.do(&admin, "POST", "/admin/deliveries/"+emailID+"/replay", nil); w.Code != http.StatusConflict {
		t.Errorf("replaying a sent delivery: %d %s", w.Code, w.Body)
	}
}

func TestQuietHoursHoldANoticeUntilTheyEnd(t *testing.T) {
	h := newHarness(t)
	// 10:00 in Shanghai on the apptest clock: inside 09:00–11:00.
	h.prefs(&officer1, map[string]any{"email": "zhang@county.example", "quiet_start": "09:00", "quiet_end": "11:00"})
	ev := h.event("leave", "leave.approved", "r1", map[string]any{"request_id": "r1", "member_id": "m1", "unit_id": "u1",
		"from": "2026-12-01", "to": "2026-12-03", "days": 3, "year": 2026, "approved_by": "head1", "approved_at": "2026-11-27T02:00:00Z"})
	h.publish(ev)
	h.drained()
	var nextAt time.Time
	apptest.Eventually(t, 60*time.Second, "the delivery queued", func() bool {
		return h.db.Get(&nextAt, `SELECT next_at FROM deliveries WHERE event_id = $1 AND user_id = 'officer1' AND state = 'pending'`, ev.ID) == nil
	})
	if want := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC); !nextAt.Equal(want) {
		t.Fatalf("held until %s, want %s (11:00 Shanghai)", nextAt, want)
	}
	if h.unread(&officer1) != 1 {
		t.Fatal("the inbox is not held by quiet hours")
	}
	if h.unread(&family1) != 0 {
		t.Error("the family is told of the officer's leave")
	}
	h.env.Clock.Advance(61 * time.Minute)
	apptest.Eventually(t, 60*time.Second, "sent after the quiet hours", func() bool {
		return h.states(ev.ID.String())["officer1/email"] == "sent"
	})
	mails := h.smtp.Mails()
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "Leave approved") {
		t.Fatalf("mails %+v: want one, in the officer's English", mails)
	}
}

func TestPreferencesRefuseBadInputByFieldAndChangeNothing(t *testing.T) {
	h := newHarness(t)
	w := h.do(&officer1, "PUT", "/preferences", map[string]any{"email": "not-an-address", "mobile": "123",
		"channels": map[string]any{"leave_approved": []string{"fax"}}, "quiet_start": "25:00", "quiet_end": "07:00"}, "If-Match", `"0"`)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d %s", w.Code, w.Body)
	}
	for _, want := range []string{"email", "mobile", "channels.leave_approved", "quiet_start", "valid e-mail"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("problem does not name %q: %s", want, w.Body)
		}
	}
	zh := cw1
	w = h.do(&zh, "PUT", "/preferences", map[string]any{"mobile": "123"}, "If-Match", `"0"`)
	if !strings.Contains(w.Body.String(), "手机号码") {
		t.Errorf("Chinese reader: %s", w.Body)
	}
	w = h.do(&officer1, "GET", "/preferences", nil)
	if w.Code != 200 || w.Header().Get("ETag") != `"0"` || strings.Contains(w.Body.String(), "not-an-address") {
		t.Fatalf("after refusals: %d %s %s", w.Code, w.Header().Get("ETag"), w.Body)
	}
	h.prefs(&officer1, map[string]any{"email": "zhang@county.example"})
	if w := h.do(&officer1, "PUT", "/preferences", map[string]any{"email": "li@county.example"}, "If-Match", `"0"`); w.Code != http.StatusConflict {
		t.Errorf("stale version: %d", w.Code)
	}
	if w := h.do(&officer1, "PUT", "/preferences", map[string]any{"email": "li@county.example"}); w.Code != http.StatusConflict {
		t.Errorf("creating what exists: %d", w.Code)
	}
	w = h.do(&officer1, "GET", "/preferences", nil)
	if !strings.Contains(w.Body.String(), "zhang@county.example") || w.Header().Get("ETag") != `"1"` {
		t.Errorf("preferences: %s %s", w.Header().Get("ETag"), w.Body)
	}
}

// Each channel sends at most PerMinute calls a minute, counted across
// replicas from the attempts: with a budget of one, the second e-mail waits
// for the next minute however often the dispatcher runs.
func TestEachChannelIsRateLimited(t *testing.T) {
	h := newHarnessWith(t, func(c *notify.Config) { c.PerMinute = 1 })
	h.prefs(&officer1, map[string]any{"email": "zhang@county.example"})
	var ids []string
	for i, from := range []string{"2026-12-01", "2026-12-08"} {
		ev := h.event("leave", "leave.approved", fmt.Sprintf("r%d", i), map[string]any{"request_id": fmt.Sprintf("r%d", i), "member_id": "m1",
			"from": from, "to": from, "days": 1})
		h.publish(ev)
		ids = append(ids, ev.ID.String())
	}
	h.drained()
	sent := func() int {
		n := 0
		for _, id := range ids {
			if h.states(id)["officer1/email"] == "sent" {
				n++
			}
		}
		return n
	}
	apptest.Eventually(t, 60*time.Second, "the first e-mail sent", func() bool { return sent() == 1 })
	for range 3 {
		if calls, err := h.svc.Dispatcher.Once(context.Background()); err != nil || calls != 0 {
			t.Fatalf("a dispatch within the minute made %d calls, %v", calls, err)
		}
	}
	if n := len(h.smtp.Mails()); n != 1 || sent() != 1 {
		t.Fatalf("%d mails, %d sent within one minute, want 1", n, sent())
	}
	h.env.Clock.Advance(61 * time.Second)
	apptest.Eventually(t, 60*time.Second, "the second e-mail sent in the next minute", func() bool { return sent() == 2 })
}
