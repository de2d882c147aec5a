package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/services/notify"
)

// A subscribed event reaches the receiver once, whatever the redeliveries,
// with the headers and the signature the documentation promises, and a
// body of exactly what the event's schema publishes; an event of another
// kind does not. After a rotation both secrets sign until the grace ends.
func TestASubscribedEventReachesTheReceiverOnceSigned(t *testing.T) {
	h := newWebhookHarness(t, nil)
	h.env.Contract = specs.MustLoad(t, "notify")
	r := newReceiver(t)
	sub := h.subscribe(r.srv.URL+"/hooks/anxin", "injury.case.opened")
	if len(sub.Secret) < 40 || sub.Secret[:6] != "whsec_" {
		t.Fatalf("secret %q", sub.Secret)
	}
	var sealed []byte
	if err := h.db.Get(&sealed, `SELECT secret FROM webhook_subscriptions WHERE id = $1`, sub.ID); err != nil ||
		bytes.Contains(sealed, []byte(sub.Secret[6:])) {
		t.Fatalf("the secret is not sealed at rest: %v", err)
	}

	ev := h.caseOpened("01", map[string]any{"internal_note": "not in the schema"})
	other := h.event("leave", "leave.approved", "r1", map[string]any{"request_id": "r1", "member_id": "m1",
		"from": "2026-12-01", "to": "2026-12-03", "days": 3})
	h.publish(ev)
	h.publish(ev) // a redelivery
	h.publish(other)
	h.drained()
	d := h.webhookOf(ev.ID.String(), "the delivery sent", func(r webhookRow) bool { return r.State == "sent" })
	var n int
	if err := h.db.Get(&n, `SELECT count(*) FROM webhook_deliveries`); err != nil || n != 1 {
		t.Fatalf("%d deliveries, want 1 (none for leave.approved): %v", n, err)
	}
	calls := r.got()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	c := calls[0]
	for header, want := range map[string]string{
		"Anxin-Webhook-Id": d.ID, "Anxin-Event-Id": ev.ID.String(), "Anxin-Event-Type": "injury.case.opened",
		"Anxin-Webhook-Timestamp": strconv.FormatInt(h.env.Clock.Now().Unix(), 10), "Content-Type": "application/json; charset=utf-8",
	} {
		if got := c.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if verify(t, c, sub.Secret) != 1 || verify(t, c, "whsec_another") != 0 {
		t.Errorf("signature %q does not verify", c.Header.Get("Anxin-Webhook-Signature"))
	}
	var body struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Version    int            `json:"version"`
		OccurredAt time.Time      `json:"occurred_at"`
		Data       map[string]any `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body))
	dec.DisallowUnknownFields() // no subject id, aggregate version or trace id
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("body %s: %v", c.Body, err)
	}
	if body.ID != ev.ID.String() || body.Type != "injury.case.opened" || body.Version != 1 || !body.OccurredAt.Equal(ev.OccurredAt) ||
		body.Data["number"] != "GC-2026-000001" || body.Data["severity"] != "minor" {
		t.Errorf("body %s", c.Body)
	}
	if _, ok := body.Data["internal_note"]; ok {
		t.Errorf("the body carries a field the schema does not publish: %s", c.Body)
	}

	// A rotation: the next call is signed by both secrets, the new one
	// first; after the grace, by the new one only.
	w := h.do(&admin, "POST", "/admin/webhooks/"+sub.ID+"/rotate-secret", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("rotate: %d %s", w.Code, w.Body)
	}
	rotated := decode[createdWebhook](t, w.Body.Bytes())
	if rotated.Secret == sub.Secret || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("rotation %+v", rotated)
	}
	if w := h.do(&admin, "GET", "/admin/webhooks/"+sub.ID, nil); bytes.Contains(w.Body.Bytes(), []byte("whsec_")) {
		t.Errorf("a read shows a secret: %s", w.Body)
	}
	ev2 := h.caseOpened("02", nil)
	h.publish(ev2)
	h.webhookOf(ev2.ID.String(), "the second delivery sent", func(r webhookRow) bool { return r.State == "sent" })
	if c := r.got()[1]; verify(t, c, rotated.Secret, sub.Secret) != 2 {
		t.Errorf("during the grace: signature %q", c.Header.Get("Anxin-Webhook-Signature"))
	}
	h.env.Clock.Advance(24*time.Hour + time.Minute)
	ev3 := h.caseOpened("03", nil)
	h.publish(ev3)
	h.webhookOf(ev3.ID.String(), "the third delivery sent", func(r webhookRow) bool { return r.State == "sent" })
	if c := r.got()[2]; verify(t, c, rotated.Secret) != 1 || verify(t, c, sub.Secret) != 0 {
		t.Errorf("after the grace: signature %q", c.Header.Get("Anxin-Webhook-Signature"))
	}
	for _, path := range []string{"/admin/webhooks", "/admin/webhooks/" + sub.ID + "/deliveries", "/admin/webhooks/" + sub.ID + "/deliveries?state=sent&limit=1",
		"/admin/webhook-deliveries/" + d.ID, "/admin/webhook-kinds"} {
		if w := h.do(&admin, "GET", path, nil); w.Code != http.StatusOK {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
}

// A receiver that answers 500 is called again after the house's backoff
// on the injected clock (1 minute after the first attempt), not before,
// with the same delivery id; every attempt is recorded with its status,
// latency and a capped snippet of the answer.
func TestAFailingReceiverIsRetriedOnTheBackoff(t *testing.T) {
	h := newWebhookHarness(t, nil)
	r := newReceiver(t)
	long := string(bytes.Repeat([]byte("错"), 2000)) // 6,000 bytes
	r.set(func(n int) (int, string) {
		if n == 1 {
			return http.StatusInternalServerError, long
		}
		return http.StatusNoContent, ""
	})
	h.subscribe(r.srv.URL, "injury.case.opened")
	ev := h.caseOpened("01", nil)
	h.publish(ev)
	failedAt := h.env.Clock.Now()
	d := h.webhookOf(ev.ID.String(), "the first attempt failed", func(r webhookRow) bool { return r.State == "pending" && r.Attempts == 1 })
	if want := failedAt.Add(time.Minute); !d.NextAt.Equal(want) || d.LastError != "HTTP 500" {
		t.Fatalf("after a 500: next at %s (want %s), error %q", d.NextAt, want, d.LastError)
	}
	h.env.Clock.Advance(59 * time.Second)
	if calls, err := h.svc.Webhooks.Once(context.Background()); err != nil || calls != 0 {
		t.Fatalf("a dispatch before the backoff made %d calls, %v", calls, err)
	}
	if n := len(r.got()); n != 1 {
		t.Fatalf("%d calls before the backoff, want 1", n)
	}
	h.env.Clock.Advance(2 * time.Second)
	h.webhookOf(ev.ID.String(), "sent on the second attempt", func(r webhookRow) bool { return r.State == "sent" && r.Attempts == 2 })
	calls := r.got()
	if len(calls) != 2 || calls[0].Header.Get("Anxin-Webhook-Id") != d.ID || calls[1].Header.Get("Anxin-Webhook-Id") != d.ID ||
		!bytes.Equal(calls[0].Body, calls[1].Body) {
		t.Fatalf("calls %d: want the same delivery twice", len(calls))
	}
	var attempts []struct {
		Outcome  string `db:"outcome"`
		Status   int    `db:"status_code"`
		Latency  *int   `db:"latency_ms"`
		Response string `db:"response"`
	}
	if err := h.db.Select(&attempts, `SELECT outcome, status_code, latency_ms, response FROM webhook_attempts
		WHERE delivery_id = $1 ORDER BY id`, d.ID); err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0].Outcome != "failed" || attempts[0].Status != 500 || attempts[0].Latency == nil ||
		attempts[1].Outcome != "sent" || attempts[1].Status != 204 {
		t.Fatalf("attempts %+v", attempts)
	}
	if n := len(attempts[0].Response); n > 1024 || n < 1000 || attempts[0].Response != long[:n] {
		t.Errorf("the answer's snippet has %d bytes, want the first ≤1024 of it, whole characters", n)
	}
}

// A receiver that never answers 2xx is given up after the fifth attempt;
// the admin's replay of the subscription's dead deliveries sends the same
// delivery id again (audited), and so does a replay of one delivered. A
// disabled subscription holds what is replayed until it is enabled.
func TestDeadDeliveriesAreReplayedByAnAdminWithTheSameID(t *testing.T) {
	h := newWebhookHarness(t, nil)
	h.env.Contract = specs.MustLoad(t, "notify")
	r := newReceiver(t)
	r.set(func(int) (int, string) { return http.StatusBadGateway, "down" })
	sub := h.subscribe(r.srv.URL, "injury.case.opened")
	ev := h.caseOpened("01", nil)
	h.publish(ev)
	var d webhookRow
	for attempt := 1; attempt <= 5; attempt++ {
		d = h.webhookOf(ev.ID.String(), "attempt "+strconv.Itoa(attempt), func(r webhookRow) bool {
			return r.Attempts == attempt && r.State != "sending"
		})
		if attempt < 5 {
			if d.State != "pending" {
				t.Fatalf("attempt %d: %s", attempt, d.State)
			}
			h.env.Clock.Advance(d.NextAt.Sub(h.env.Clock.Now()))
		}
	}
	if d.State != "dead" || len(r.got()) != 5 {
		t.Fatalf("after 5 failures: %s with %d calls", d.State, len(r.got()))
	}
	if w := h.do(&cw1, "POST", "/admin/webhooks/"+sub.ID+"/replay-dead", nil); w.Code != http.StatusForbidden {
		t.Errorf("a caseworker replays: %d", w.Code)
	}
	r.set(nil)
	w := h.do(&admin, "POST", "/admin/webhooks/"+sub.ID+"/replay-dead", nil)
	if w.Code != http.StatusOK || decode[struct{ Replayed int }](t, w.Body.Bytes()).Replayed != 1 {
		t.Fatalf("replay dead: %d %s", w.Code, w.Body)
	}
	h.webhookOf(ev.ID.String(), "the replay sent", func(r webhookRow) bool { return r.State == "sent" })
	if calls := r.got(); len(calls) != 6 || calls[5].Header.Get("Anxin-Webhook-Id") != d.ID {
		t.Fatalf("%d calls; the replay's id %q, want %s", len(calls), calls[len(calls)-1].Header.Get("Anxin-Webhook-Id"), d.ID)
	}

	// One delivered delivery, replayed while its subscription is off:
	// held, not sent, and not replayable twice; sent once it is on again.
	w = h.do(&admin, "GET", "/admin/webhooks/"+sub.ID, nil)
	version := w.Header().Get("ETag")
	w = h.do(&admin, "PUT", "/admin/webhooks/"+sub.ID, map[string]any{"name": "县人社局", "url": r.srv.URL,
		"kinds": []string{"injury.case.opened"}, "active": false}, "If-Match", version)
	if w.Code != http.StatusOK {
		t.Fatalf("disable: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "POST", "/admin/webhook-deliveries/"+d.ID+"/replay", nil); w.Code != http.StatusOK {
		t.Fatalf("replay: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "POST", "/admin/webhook-deliveries/"+d.ID+"/replay", nil); w.Code != http.StatusConflict {
		t.Errorf("replaying a pending delivery: %d %s", w.Code, w.Body)
	}
	if calls, err := h.svc.Webhooks.Once(context.Background()); err != nil || calls != 0 {
		t.Fatalf("a disabled subscription was called %d times, %v", calls, err)
	}
	w = h.do(&admin, "PUT", "/admin/webhooks/"+sub.ID, map[string]any{"name": "县人社局", "url": r.srv.URL,
		"kinds": []string{"injury.case.opened"}}, "If-Match", w.Header().Get("ETag"))
	if w.Code != http.StatusOK {
		t.Fatalf("enable: %d %s", w.Code, w.Body)
	}
	h.webhookOf(ev.ID.String(), "the second replay sent", func(r webhookRow) bool { return r.State == "sent" })
	if calls := r.got(); len(calls) != 7 || calls[6].Header.Get("Anxin-Webhook-Id") != d.ID {
		t.Fatalf("%d calls after the second replay", len(calls))
	}
	var audits []struct {
		Actor  string `db:"actor"`
		Action string `db:"action"`
	}
	if err := h.db.Select(&audits, `SELECT actor, action FROM audit_log WHERE object_id = $1 ORDER BY seq`, d.ID); err != nil {
		t.Fatal(err)
	}
	if len(audits) != 2 || audits[0].Actor != "admin" || audits[0].Action != "notify.webhook.delivery.replay" || audits[1].Action != audits[0].Action {
		t.Errorf("audit of the replays: %+v", audits)
	}
}

// The process dies inside the call, after the receiver has the delivery:
// when its lease lapses the next process sends it again with the same
// delivery id and body, so a receiver that deduplicates sees it once.
func TestACrashMidCallRedeliversWithTheSameID(t *testing.T) {
	h := newWebhookHarness(t, nil)
	r := newReceiver(t)
	crashed := make(chan struct{})
	r.mu.Lock()
	r.onCall = func(n int) {
		if n == 1 {
			h.crash()
			close(crashed)
		}
	}
	r.mu.Unlock()
	h.subscribe(r.srv.URL, "injury.case.opened")
	ev := h.caseOpened("01", nil)
	h.publish(ev)
	select {
	case <-crashed:
	case <-time.After(60 * time.Second):
		t.Fatal("no call within 60s")
	}
	h.halt()
	var state string
	if err := h.db.Get(&state, `SELECT state FROM webhook_deliveries WHERE event_id = $1`, ev.ID); err != nil || state != "sending" {
		t.Fatalf("after the crash in its call the delivery is %q (%v), want sending", state, err)
	}
	h.env.Clock.Advance(3 * time.Minute) // the dead process's lease lapses
	h.start()
	d := h.webhookOf(ev.ID.String(), "sent by the next process", func(r webhookRow) bool { return r.State == "sent" })
	calls := r.got()
	if len(calls) != 2 || calls[0].Header.Get("Anxin-Webhook-Id") != d.ID || calls[1].Header.Get("Anxin-Webhook-Id") != d.ID ||
		!bytes.Equal(calls[0].Body, calls[1].Body) {
		t.Fatalf("%d calls, want the one delivery twice under one id", len(calls))
	}
	var outcomes []string
	if err := h.db.Select(&outcomes, `SELECT outcome FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, d.ID); err != nil {
		t.Fatal(err)
	}
	if len(outcomes) != 2 || outcomes[0] != "unknown" || outcomes[1] != "sent" {
		t.Errorf("attempts %v, want the lapsed one unknown, then sent", outcomes)
	}
}

// Each subscription makes at most its budget of calls a minute, counted
// from the attempts: the second delivery waits for the next minute.
func TestEachSubscriptionIsRateLimited(t *testing.T) {
	h := newWebhookHarness(t, func(c *notify.Config) { c.WebhookPerMinute = 1 })
	r := newReceiver(t)
	h.subscribe(r.srv.URL, "injury.case.opened")
	first, second := h.caseOpened("01", nil), h.caseOpened("02", nil)
	h.publish(first)
	h.publish(second)
	h.drained()
	sent := func() int {
		var n int
		if err := h.db.Get(&n, `SELECT count(*) FROM webhook_deliveries WHERE state = 'sent'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	apptest.Eventually(t, 60*time.Second, "one delivery sent", func() bool { return sent() == 1 })
	for range 3 {
		if calls, err := h.svc.Webhooks.Once(context.Background()); err != nil || calls != 0 {
			t.Fatalf("a dispatch within the minute made %d calls, %v", calls, err)
		}
	}
	if n := len(r.got()); n != 1 {
		t.Fatalf("%d calls within the minute, want 1", n)
	}
	h.env.Clock.Advance(61 * time.Second)
	apptest.Eventually(t, 60*time.Second, "the second sent in the next minute", func() bool { return sent() == 2 })
}

// A receiver that hangs holds one call, not the other subscriptions': the
// second receiver gets its event while the first call is still open, and
// the first gets no second call meanwhile (one call at a time each).
func TestAReceiverThatHangsDoesNotHoldTheOthers(t *testing.T) {
	h := newWebhookHarness(t, func(c *notify.Config) { c.WebhookTimeout = 90 * time.Second })
	slow, fast := newReceiver(t), newReceiver(t)
	release, entered := make(chan struct{}), make(chan struct{}, 2)
	t.Cleanup(func() { close(release) }) // runs before the servers close
	slow.mu.Lock()
	slow.onCall = func(int) {
		entered <- struct{}{}
		<-release
	}
	slow.mu.Unlock()
	h.subscribe(slow.srv.URL, "injury.case.opened")
	h.publish(h.caseOpened("01", nil))
	select {
	case <-entered:
	case <-time.After(60 * time.Second):
		t.Fatal("the hanging receiver was never called")
	}
	// Only now does the other subscription exist, so its call comes after
	// the hanging one has started.
	h.subscribe(fast.srv.URL, "injury.case.opened")
	h.publish(h.caseOpened("02", nil))
	apptest.Eventually(t, 30*time.Second, "the other receiver called while the first call hangs", func() bool {
		return len(fast.got()) == 1
	})
	if n := len(slow.got()); n != 1 {
		t.Errorf("the hanging receiver has %d calls at once, want one at a time", n)
	}
}
