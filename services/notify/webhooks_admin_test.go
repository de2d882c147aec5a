package notify_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// count is the number of rows a query counts.
func (h *harness) count(q string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Get(&n, q, args...); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// Bad input answers 422 naming each field, in the reader's language, and
// changes nothing: no subscription, no audit row, an update leaves the
// version as it was.
func TestWebhookBadInputChangesNothing(t *testing.T) {
	h := newWebhookHarness(t, nil)
	h.env.Contract = specs.MustLoad(t, "notify")
	adminEN := admin
	adminEN.Lang = "en"
	cases := []struct {
		name  string
		body  map[string]any
		field string
		text  string // of the English message
	}{
		{"not a URL", map[string]any{"name": "x", "url": "hooks", "kinds": []string{"injury.case.opened"}}, "url", "full address"},
		{"no scheme https", map[string]any{"name": "x", "url": "ftp://203.0.113.5/x", "kinds": []string{"injury.case.opened"}}, "url", "https"},
		{"http to another machine", map[string]any{"name": "x", "url": "http://203.0.113.5/x", "kinds": []string{"injury.case.opened"}}, "url", "https"},
		{"credentials in the URL", map[string]any{"name": "x", "url": "https://u:p@203.0.113.5/x", "kinds": []string{"injury.case.opened"}}, "url", "password"},
		{"link-local, even where local addresses are allowed", map[string]any{"name": "x", "url": "https://169.254.169.254/latest/meta-data",
			"kinds": []string{"injury.case.opened"}}, "url", "link-local"},
		{"unknown kind", map[string]any{"name": "x", "url": "https://203.0.113.5/x", "kinds": []string{"injury.case.opened", "payroll.run"}}, "kinds[1]", "subscribe"},
		{"a kind twice", map[string]any{"name": "x", "url": "https://203.0.113.5/x", "kinds": []string{"leave.leave.approved", "leave.leave.approved"}}, "kinds[1]", "twice"},
		{"no kinds", map[string]any{"name": "x", "url": "https://203.0.113.5/x", "kinds": []string{}}, "kinds", "at least one"},
		{"no name", map[string]any{"name": " ", "url": "https://203.0.113.5/x", "kinds": []string{"injury.case.opened"}}, "name", "required"},
		{"a member it does not have", map[string]any{"name": "x", "url": "https://203.0.113.5/x", "kinds": []string{"injury.case.opened"}, "secret": "mine"}, "secret", "not an accepted field"},
	}
	for _, tc := range cases {
		w := h.do(&adminEN, "POST", "/admin/webhooks", tc.body)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"field":"`+tc.field+`"`) ||
			!strings.Contains(w.Body.String(), tc.text) {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
	}
	if w := h.do(&admin, "POST", "/admin/webhooks", map[string]any{"name": "x", "url": "ftp://x", "kinds": []string{"nope"}}); w.Code != 422 ||
		!strings.Contains(w.Body.String(), "https") || !strings.Contains(w.Body.String(), "不是可订阅的事件类型") {
		t.Errorf("in Chinese: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "POST", "/admin/webhooks", []byte(`{"name":`)); w.Code != http.StatusBadRequest {
		t.Errorf("broken JSON: %d %s", w.Code, w.Body)
	}
	if n := h.count(`SELECT count(*) FROM webhook_subscriptions`); n != 0 {
		t.Fatalf("%d subscriptions after refusals", n)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'notify.webhook.%'`); n != 0 {
		t.Fatalf("%d audit rows after refusals", n)
	}

	sub := h.subscribe("https://203.0.113.5/hook", "injury.case.opened")
	w := h.do(&admin, "PUT", "/admin/webhooks/"+sub.ID, map[string]any{"name": "x", "url": "https://169.254.1.1/x", "kinds": []string{"x"}}, "If-Match", `"1"`)
	if w.Code != 422 || !strings.Contains(w.Body.String(), `"field":"kinds[0]"`) || !strings.Contains(w.Body.String(), `"field":"url"`) {
		t.Errorf("bad update: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "PUT", "/admin/webhooks/"+sub.ID, map[string]any{"name": "y", "url": "https://203.0.113.6/x", "kinds": []string{"injury.case.opened"}}); w.Code != http.StatusPreconditionRequired {
		t.Errorf("update without If-Match: %d", w.Code)
	}
	if w := h.do(&admin, "PUT", "/admin/webhooks/"+sub.ID, map[string]any{"name": "y", "url": "https://203.0.113.6/x", "kinds": []string{"injury.case.opened"}}, "If-Match", `"7"`); w.Code != http.StatusConflict {
		t.Errorf("stale update: %d", w.Code)
	}
	w = h.do(&admin, "GET", "/admin/webhooks/"+sub.ID, nil)
	if w.Header().Get("ETag") != `"1"` || !strings.Contains(w.Body.String(), "203.0.113.5") {
		t.Errorf("after refused updates: %s %s", w.Header().Get("ETag"), w.Body)
	}
	for _, path := range []string{"/admin/webhooks/nonsense", "/admin/webhooks/0193a3b4-0000-7000-8000-000000000001", "/admin/webhook-deliveries/nonsense"} {
		if w := h.do(&admin, "GET", path, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	if w := h.do(&admin, "GET", "/admin/webhooks/"+sub.ID+"/deliveries?state=lost", nil); w.Code != 422 {
		t.Errorf("unknown state: %d", w.Code)
	}

	// Deleted: gone from the API, what it had queued given up, and an
	// event of its kind queues nothing.
	queued := "0193a3b4-0000-7000-8000-0000000000aa"
	if _, err := h.db.Exec(`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, body, state, next_at, created_at)
		VALUES ($1, $2, $1, 'injury.case.opened', '{}', 'pending', $3, $3)`, queued, sub.ID, h.env.Clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if w := h.do(&admin, "DELETE", "/admin/webhooks/"+sub.ID, nil, "If-Match", `"1"`); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if w := h.do(&admin, "GET", "/admin/webhooks/"+sub.ID, nil); w.Code != http.StatusNotFound {
		t.Errorf("a deleted subscription: %d", w.Code)
	}
	ev := h.caseOpened("01", nil)
	h.publish(ev)
	h.drained()
	if n := h.count(`SELECT count(*) FROM webhook_deliveries WHERE id <> $1`, queued); n != 0 {
		t.Errorf("%d deliveries for a deleted subscription", n)
	}
	if n := h.count(`SELECT count(*) FROM webhook_deliveries WHERE id = $1 AND state = 'dead'`, queued); n != 1 {
		t.Errorf("what the deleted subscription had queued is not given up")
	}
	if n := h.count(`SELECT count(*) FROM webhook_subscriptions WHERE secret IS NOT NULL OR previous_secret IS NOT NULL`); n != 0 {
		t.Errorf("a deleted subscription keeps its secret")
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action IN ('notify.webhook.create', 'notify.webhook.delete') AND object_id = $1`, sub.ID); n != 2 {
		t.Errorf("%d audit rows for the create and the delete", n)
	}
}

// Without the development setting, a URL whose host is or resolves to a
// loopback or private address is refused, and so is http even to this
// machine: a webhook is no way into the deployment's own network.
func TestWebhookURLsToPrivateAddressesAreRefused(t *testing.T) {
	h := newHarness(t)
	for _, url := range []string{"https://127.0.0.1/x", "https://10.1.2.3/x", "https://192.168.1.10:8443/x", "https://[fd00::1]/x",
		"https://100.64.0.1/x", "https://[::ffff:127.0.0.1]/x", "https://localhost/x", "https://0.0.0.0/x"} {
		w := h.do(&admin, "POST", "/admin/webhooks", map[string]any{"name": "x", "url": url, "kinds": []string{"injury.case.opened"}})
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"field":"url"`) || !strings.Contains(w.Body.String(), "内网") {
			t.Errorf("%s: %d %s", url, w.Code, w.Body)
		}
	}
	if w := h.do(&admin, "POST", "/admin/webhooks", map[string]any{"name": "x", "url": "http://127.0.0.1:8080/x", "kinds": []string{"injury.case.opened"}}); w.Code != 422 ||
		!strings.Contains(w.Body.String(), "https") {
		t.Errorf("http to loopback: %d %s", w.Code, w.Body)
	}
	if n := h.count(`SELECT count(*) FROM webhook_subscriptions`); n != 0 {
		t.Fatalf("%d subscriptions after refusals", n)
	}
}

// Every webhook route is the admin's alone; no token is 401.
func TestWebhookAccessPerRole(t *testing.T) {
	h := newWebhookHarness(t, nil)
	sub := h.subscribe("https://203.0.113.5/hook", "injury.case.opened")
	service := auth.ServiceIdentity("grants")
	roles := map[string]*auth.Identity{"officer": &officer1, "family": &family1, "caseworker": &cw1, "unit_head": &head1,
		"approver": &chair, "admin": &admin, "service": &service,
		"finance": {UserID: "fin", Roles: []auth.Role{auth.RoleFinance}}, "auditor": {UserID: "aud", Roles: []auth.Role{auth.RoleAuditor}}}
	const missing = "0193a3b4-0000-7000-8000-000000000001"
	body := map[string]any{"name": "x", "url": "https://203.0.113.5/x", "kinds": []string{"injury.case.opened"}}
	routes := []struct {
		method, path string
		body         any
		ok           int
	}{
		{"GET", "/admin/webhook-kinds", nil, 200},
		{"GET", "/admin/webhooks", nil, 200},
		{"GET", "/admin/webhooks/" + sub.ID, nil, 200},
		{"GET", "/admin/webhooks/" + sub.ID + "/deliveries", nil, 200},
		{"POST", "/admin/webhooks/" + sub.ID + "/replay-dead", nil, 200},
		{"POST", "/admin/webhooks", map[string]any{"name": "x", "url": "ftp://x", "kinds": []string{}}, 422},
		{"PUT", "/admin/webhooks/" + missing, body, 428},
		{"DELETE", "/admin/webhooks/" + missing, nil, 428},
		{"POST", "/admin/webhooks/" + missing + "/rotate-secret", nil, 404},
		{"GET", "/admin/webhook-deliveries/" + missing, nil, 404},
		{"POST", "/admin/webhook-deliveries/" + missing + "/replay", nil, 404},
	}
	for _, r := range routes {
		for name, id := range roles {
			want := http.StatusForbidden
			if name == "admin" {
				want = r.ok
			}
			if w := h.do(id, r.method, r.path, r.body); w.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %s", r.method, r.path, name, w.Code, want, w.Body)
			}
		}
		if w := h.do(nil, r.method, r.path, r.body); w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d", r.method, r.path, w.Code)
		}
	}
	if n := h.count(`SELECT count(*) FROM webhook_subscriptions`); n != 1 {
		t.Errorf("%d subscriptions, want the admin's one", n)
	}
}
