package notify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/services/notify"
)

// receiver is an integrator's endpoint: it keeps every call and answers
// as answer says (200 without one).
type receiver struct {
	srv *httptest.Server

	mu    sync.Mutex
	calls []call
	// answer gives the status and body of the n-th call (1-based).
	answer func(n int) (int, string)
	// onCall runs inside the n-th call before it answers.
	onCall func(n int)
}

type call struct {
	Header http.Header
	Body   []byte
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.calls = append(r.calls, call{Header: req.Header.Clone(), Body: body})
		n, answer, onCall := len(r.calls), r.answer, r.onCall
		r.mu.Unlock()
		if onCall != nil {
			onCall(n)
		}
		status, text := http.StatusOK, "ok"
		if answer != nil {
			status, text = answer(n)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(text))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) got() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

func (r *receiver) set(answer func(n int) (int, string)) {
	r.mu.Lock()
	r.answer = answer
	r.mu.Unlock()
}

// newWebhookHarness is a notify service whose webhooks may call this
// machine (the receivers are httptest servers on 127.0.0.1).
func newWebhookHarness(t *testing.T, edit func(*notify.Config)) *harness {
	t.Helper()
	h := newHarnessWith(t, func(c *notify.Config) {
		c.WebhookAllowLocal = true
		if edit != nil {
			edit(c)
		}
	})
	t.Cleanup(func() {
		if t.Failed() {
			h.dumpWebhooks()
		}
	})
	return h
}

// dumpWebhooks logs the webhook deliveries and their attempts, for a
// failed test.
func (h *harness) dumpWebhooks() {
	var rows []struct {
		ID        string    `db:"id"`
		State     string    `db:"state"`
		Attempts  int       `db:"attempts"`
		NextAt    time.Time `db:"next_at"`
		LastError string    `db:"last_error"`
	}
	if err := h.db.Select(&rows, `SELECT id, state, attempts, next_at, last_error FROM webhook_deliveries ORDER BY created_at`); err != nil {
		h.t.Logf("dump webhooks: %v", err)
		return
	}
	for _, r := range rows {
		h.t.Logf("  webhook %s %s attempts=%d next=%s err=%q", r.ID, r.State, r.Attempts, r.NextAt, r.LastError)
		var attempts []struct {
			Started  time.Time  `db:"started_at"`
			Finished *time.Time `db:"finished_at"`
			Outcome  string     `db:"outcome"`
			Status   int        `db:"status_code"`
			Error    string     `db:"error"`
		}
		if err := h.db.Select(&attempts, `SELECT started_at, finished_at, coalesce(outcome, '') AS outcome,
			coalesce(status_code, 0) AS status_code, error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, r.ID); err != nil {
			h.t.Logf("    attempts: %v", err)
		}
		for _, a := range attempts {
			h.t.Logf("    attempt started %s finished %v: %s %d %q", a.Started, a.Finished, a.Outcome, a.Status, a.Error)
		}
	}
}

type createdWebhook struct {
	ID      string `json:"id"`
	Secret  string `json:"secret"`
	Version int64  `json:"version"`
}

// subscribe has the admin subscribe url to kinds, and returns the answer.
func (h *harness) subscribe(url string, kinds ...string) createdWebhook {
	h.t.Helper()
	w := h.do(&admin, "POST", "/admin/webhooks", map[string]any{"name": "县人社局", "url": url, "kinds": kinds})
	if w.Code != http.StatusCreated {
		h.t.Fatalf("subscribe: %d %s", w.Code, w.Body)
	}
	return decode[createdWebhook](h.t, w.Body.Bytes())
}

type webhookRow struct {
	ID        string    `db:"id"`
	State     string    `db:"state"`
	Attempts  int       `db:"attempts"`
	NextAt    time.Time `db:"next_at"`
	LastError string    `db:"last_error"`
}

// webhookOf returns the delivery of event eventID, waiting until it is in
// a state cond accepts.
func (h *harness) webhookOf(eventID, what string, cond func(webhookRow) bool) webhookRow {
	h.t.Helper()
	var row webhookRow
	apptest.Eventually(h.t, 60*time.Second, what, func() bool {
		err := h.db.Get(&row, `SELECT id, state, attempts, next_at, last_error FROM webhook_deliveries WHERE event_id = $1`, eventID)
		return err == nil && cond(row)
	})
	return row
}

func (h *harness) caseOpened(caseID string, extra map[string]any) bus.Event {
	h.t.Helper()
	data := map[string]any{"case_id": "0193a3b4-0000-7000-8000-0000000000" + caseID, "number": "GC-2026-0000" + caseID,
		"incident_id": "0193a3b4-0000-7000-8000-00000000ffff", "unit_id": "u9", "severity": "minor",
		"injured_at": "2026-11-27T01:00:00Z", "injury_date": "2026-11-27", "opened_at": "2026-11-27T01:30:00Z", "coverage_status": "pending"}
	for k, v := range extra {
		data[k] = v
	}
	return h.event("injury", "case.opened", caseID, data)
}

// verify checks a call's signature as a receiver would, written here from
// the documentation rather than with the service's code: each v1=<hex> of
// the signature header against HMAC-SHA256(secret, timestamp + "." +
// body). It returns how many of secrets signed the call.
func verify(t *testing.T, c call, secrets ...string) int {
	t.Helper()
	ts := c.Header.Get("Anxin-Webhook-Timestamp")
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		t.Fatalf("timestamp %q: %v", ts, err)
	}
	var sigs []string
	for _, part := range strings.Split(c.Header.Get("Anxin-Webhook-Signature"), ",") {
		sig, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			t.Fatalf("signature part %q", part)
		}
		sigs = append(sigs, sig)
	}
	n := 0
	for _, secret := range secrets {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "." + string(c.Body)))
		want := hex.EncodeToString(mac.Sum(nil))
		for _, s := range sigs {
			if hmac.Equal([]byte(s), []byte(want)) {
				n++
				break
			}
		}
	}
	return n
}
