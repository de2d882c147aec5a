package gateway_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/gateway"
	"github.com/anxin-welfare/anxin/services/notify"
)

// withNotifyWebhooks is withNotify for a notify whose webhooks may call
// this machine (the receiver is an httptest server on 127.0.0.1).
func withNotifyWebhooks(t *testing.T, s *realSystem) {
	t.Helper()
	ctx := context.Background()
	nc := defaults[notify.Config](t)
	nc.HTTPAddr, nc.PublicURL, nc.DispatchInterval, nc.WebhookAllowLocal = "127.0.0.1:0", s.gateway, 50*time.Millisecond, true
	ns, err := notify.New(ctx, s.env.Deps, nc)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, ns.Run)
	nsrv := httptest.NewServer(ns.Handler())
	t.Cleanup(nsrv.Close)
	s.env.Deps.Config.URLs.Notify = nsrv.URL
	gw, err := gateway.New(ctx, s.env.Deps, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	apptest.Run(t, gw.Run)
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	s.gateway = srv.URL
}

var (
	webhookIDRE      = regexp.MustCompile(`href="/admin/webhooks/([0-9a-f-]{36})"`)
	secretRE         = regexp.MustCompile(`id="new-secret">(whsec_[A-Za-z0-9_-]+)<`)
	webhookVersionRE = regexp.MustCompile(`name="version" value="(\d+)"`)
	deliveryIDRE     = regexp.MustCompile(`href="/admin/webhook-deliveries/([0-9a-f-]{36})"`)
)

// TestWebhookPagesAgainstRealServices is the administrator's journey
// through the webhook pages in front of the real notify service: a bad
// form is refused by field in Chinese and keeps what was typed; a good one
// shows the signing secret once; an event reaches the receiver signed
// with it; the delivery page lists the call; a replay sends the same
// delivery id again; a rotation shows a new secret; deletion asks first.
// A caseworker reaches none of it.
func TestWebhookPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	withNotifyWebhooks(t, s)
	var (
		mu     sync.Mutex
		calls  []*http.Request
		bodies [][]byte
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		calls, bodies = append(calls, r), append(bodies, b)
		mu.Unlock()
	}))
	t.Cleanup(receiver.Close)
	got := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(calls)
	}

	if st, _ := journeySignIn(t, s.gateway, "caseworker").get("/admin/webhooks"); st != http.StatusForbidden {
		t.Errorf("a caseworker opens the webhooks: %d", st)
	}
	admin := journeySignIn(t, s.gateway, "admin")
	st, page := admin.get("/admin/webhooks")
	if st != http.StatusOK || !strings.Contains(page, `value="injury.case.opened"`) || !strings.Contains(page, `href="/admin/webhooks"`) {
		t.Fatalf("the webhooks page = %d %s", st, snippet(page))
	}
	st, _, body := admin.post("/admin/webhooks", url.Values{"name": {"县人社局"}, "url": {"http://203.0.113.5/hook"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="url-error"`) || !strings.Contains(body, `id="kinds-error"`) ||
		!strings.Contains(body, "必须使用 https 网址") || !strings.Contains(body, `value="http://203.0.113.5/hook"`) {
		t.Fatalf("a bad subscription = %d %s", st, snippet(body))
	}
	st, _, body = admin.post("/admin/webhooks", url.Values{"name": {"县人社局"}, "url": {receiver.URL + "/anxin"},
		"kinds": {"injury.case.opened"}, "active": {"on"}})
	secret, id := secretRE.FindStringSubmatch(body), webhookIDRE.FindStringSubmatch(body)
	if st != http.StatusCreated || secret == nil || id == nil {
		t.Fatalf("subscribe = %d %s", st, snippet(body))
	}
	if st, page := admin.get("/admin/webhooks"); st != http.StatusOK || strings.Contains(page, secret[1]) || !strings.Contains(page, receiver.URL) {
		t.Errorf("the list after = %d, shows the secret again: %v", st, strings.Contains(page, secret[1]))
	}

	// An event of the kind, as injury's relay publishes it.
	ev, err := bus.NewEvent("injury", "case.opened", 1, "c1", 1, map[string]any{"case_id": "0193a3b4-0000-7000-8000-000000000001",
		"number": "GC-2026-000001", "incident_id": "0193a3b4-0000-7000-8000-000000000002", "unit_id": s.unit, "severity": "minor",
		"injured_at": "2026-11-27T01:00:00Z", "injury_date": "2026-11-27", "opened_at": "2026-11-27T01:30:00Z", "coverage_status": "pending"},
		s.env.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(ev)
	if _, err := s.env.Deps.Bus.JS.Publish(context.Background(), ev.Subject(), raw); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, 60*time.Second, "the receiver called", func() bool { return got() == 1 })
	mu.Lock()
	first, firstBody := calls[0], bodies[0]
	mu.Unlock()
	mac := hmac.New(sha256.New, []byte(secret[1]))
	mac.Write([]byte(first.Header.Get("Anxin-Webhook-Timestamp") + "." + string(firstBody)))
	if first.Header.Get("Anxin-Webhook-Signature") != "v1="+hex.EncodeToString(mac.Sum(nil)) || first.Header.Get("Anxin-Event-Id") != ev.ID.String() {
		t.Errorf("the call's headers %v", first.Header)
	}

	var delivery []string
	apptest.Eventually(t, 60*time.Second, "the delivery listed as sent", func() bool {
		_, page = admin.get("/admin/webhooks/" + id[1] + "?state=sent")
		delivery = deliveryIDRE.FindStringSubmatch(page)
		return delivery != nil
	})
	if delivery[1] != first.Header.Get("Anxin-Webhook-Id") {
		t.Errorf("the page's delivery %s, the call's %s", delivery[1], first.Header.Get("Anxin-Webhook-Id"))
	}
	if st, page := admin.get("/admin/webhook-deliveries/" + delivery[1]); st != http.StatusOK || !strings.Contains(page, `id="webhook-calls"`) ||
		!strings.Contains(page, "已送达") || !strings.Contains(page, "GC-2026-000001") {
		t.Errorf("the delivery page = %d %s", st, snippet(page))
	}
	st, loc, _ := admin.post("/admin/webhook-deliveries/"+delivery[1]+"/replay", url.Values{})
	if st != http.StatusSeeOther || loc != "/admin/webhook-deliveries/"+delivery[1]+"?m=replayed" {
		t.Fatalf("replay = %d %s", st, loc)
	}
	apptest.Eventually(t, 60*time.Second, "the replay called", func() bool { return got() == 2 })
	mu.Lock()
	again := calls[1].Header.Get("Anxin-Webhook-Id")
	mu.Unlock()
	if again != delivery[1] {
		t.Errorf("the replay's id %s, want %s", again, delivery[1])
	}

	st, _, body = admin.post("/admin/webhooks/"+id[1]+"/rotate-secret", url.Values{})
	if rotated := secretRE.FindStringSubmatch(body); st != http.StatusOK || rotated == nil || rotated[1] == secret[1] || !strings.Contains(body, `id="previous-secret"`) {
		t.Errorf("rotate = %d %s", st, snippet(body))
	}
	st, _, body = admin.post("/admin/webhooks/"+id[1]+"/delete", url.Values{})
	card := strings.Index(body, `id="confirm"`)
	if st != http.StatusOK || card < 0 {
		t.Fatalf("delete, first press = %d %s", st, snippet(body))
	}
	version := webhookVersionRE.FindStringSubmatch(body[card:])
	if version == nil {
		t.Fatalf("the card has no version: %s", snippet(body[card:]))
	}
	st, loc, _ = admin.post("/admin/webhooks/"+id[1]+"/delete", url.Values{"confirm": {"yes"}, "version": {version[1]}})
	if st != http.StatusSeeOther || loc != "/admin/webhooks?m=deleted" {
		t.Fatalf("delete = %d %s", st, loc)
	}
	if st, _ := admin.get("/admin/webhooks/" + id[1]); st != http.StatusNotFound {
		t.Errorf("a deleted subscription's page: %d", st)
	}
}
