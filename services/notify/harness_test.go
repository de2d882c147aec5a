package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/notify"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels/channelstest"
)

// The people of the test county, as the gateway would name them.
var (
	cw1      = auth.Identity{UserID: "cw1", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u1"}, Name: "王经办"}
	cw2      = auth.Identity{UserID: "cw2", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u2"}}
	cw3      = auth.Identity{UserID: "cw3", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"u1"}}
	head1    = auth.Identity{UserID: "head1", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"u1"}}
	chair    = auth.Identity{UserID: "chair", Roles: []auth.Role{auth.RoleApprover}}
	officer1 = auth.Identity{UserID: "officer1", MemberID: "m1", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"u1"}, Lang: "en"}
	family1  = auth.Identity{UserID: "family1", MemberID: "m1", Roles: []auth.Role{auth.RoleFamily}, Units: []string{"u1"}}
	admin    = auth.Identity{UserID: "admin", Roles: []auth.Role{auth.RoleAdmin}}
	people   = []auth.Identity{cw1, cw2, cw3, head1, chair, officer1, family1, admin}
)

// harness is a notify service (restartable, as after a crash) on its own
// database and NATS, with a stand-in for the gateway's recipients endpoint
// on that NATS, an SMTP server with STARTTLS, a WeCom robot, a DingTalk
// robot and an SMS gateway that honours Idempotency-Key.
type harness struct {
	t    *testing.T
	env  *apptest.Env
	cfg  notify.Config
	db   *sqlx.DB
	smtp *channelstest.SMTP

	mu       sync.Mutex
	svc      *notify.Service
	stop     context.CancelFunc
	done     chan error
	robot    []map[string]any // WeCom calls
	ding     []map[string]any // DingTalk calls
	smsCalls []string         // Idempotency-Key of each call
	// onCall, when set, runs inside a robot or SMS call before it answers.
	onCall func(channel string)
}

func newHarness(t *testing.T) *harness { t.Helper(); return newHarnessWith(t, nil) }

// newHarnessWith lets a test change the configuration before the service
// starts.
func newHarnessWith(t *testing.T, edit func(*notify.Config)) *harness {
	t.Helper()
	env := apptest.New(t)
	h := &harness{t: t, env: env, smtp: channelstest.StartSMTP(t)}
	standIn(t, env)
	hook := func(ch string) {
		h.mu.Lock()
		f := h.onCall
		h.mu.Unlock()
		if f != nil {
			f(ch)
		}
	}
	wecom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		h.mu.Lock()
		h.robot = append(h.robot, body)
		h.mu.Unlock()
		hook("wecom")
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	t.Cleanup(wecom.Close)
	ding := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		h.mu.Lock()
		h.ding = append(h.ding, body)
		h.mu.Unlock()
		hook("dingtalk")
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	t.Cleanup(ding.Close)
	sms := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.smsCalls = append(h.smsCalls, r.Header.Get("Idempotency-Key"))
		h.mu.Unlock()
		hook("sms")
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(sms.Close)
	h.cfg = notify.Config{Schema: "notify", HTTPAddr: "127.0.0.1:0", PublicURL: "https://anxin.example",
		SMTPAddr: h.smtp.Addr, SMTPTLS: h.smtp.ClientTLS, SMTPFrom: "anxin@county.example",
		SMSURL: sms.URL, WeComWebhook: wecom.URL + "/cgi-bin/webhook/send?key=k1",
		DingTalkWebhook: ding.URL + "/robot/send?access_token=t1", DingTalkSecret: "SECx",
		DispatchInterval: 20 * time.Millisecond}
	if edit != nil {
		edit(&h.cfg)
	}
	h.start()
	db, err := pg.Open(context.Background(), pg.Config{URL: env.Deps.Config.DatabaseURL, Schema: "notify"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	h.db = db
	t.Cleanup(func() { h.halt() })
	t.Cleanup(func() {
		if t.Failed() {
			h.dump()
		}
	})
	return h
}

// start runs a fresh service process on the same database and NATS.
func (h *harness) start() {
	h.t.Helper()
	svc, err := notify.New(context.Background(), h.env.Deps, h.cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	h.mu.Lock()
	h.svc, h.stop, h.done = svc, cancel, done
	h.mu.Unlock()
}

// crash stops the running process at once, from inside a call.
func (h *harness) crash() {
	h.mu.Lock()
	stop := h.stop
	h.mu.Unlock()
	stop()
}

// halt waits for the running process to have stopped.
func (h *harness) halt() {
	h.mu.Lock()
	stop, done := h.stop, h.done
	h.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			h.t.Errorf("service stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		h.t.Error("service did not stop within 30s")
	}
	h.mu.Lock()
	h.stop = nil
	h.mu.Unlock()
}

func (h *harness) do(id *auth.Identity, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	h.mu.Lock()
	svc := h.svc
	h.mu.Unlock()
	return h.env.Do(h.t, svc.Handler(), id, method, "/api/v1/notify"+path, body, headers...)
}

// publish puts an event on the stream as its producer's relay would; the
// same event published twice is a redelivery.
func (h *harness) publish(ev bus.Event) {
	h.t.Helper()
	raw, err := json.Marshal(ev)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.env.Deps.Bus.JS.Publish(context.Background(), ev.Subject(), raw); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) event(source, typ, subject string, data any) bus.Event {
	h.t.Helper()
	ev, err := bus.NewEvent(source, typ, 1, subject, 1, data, h.env.Clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return ev
}

// drained waits until the consumer has every message of the stream
// delivered and acknowledged: redeliveries included.
func (h *harness) drained() {
	h.t.Helper()
	apptest.Eventually(h.t, 60*time.Second, "notify consumer drained", func() bool {
		c, err := h.env.Deps.Bus.JS.Consumer(context.Background(), bus.StreamName, "notify-events")
		if err != nil {
			return false
		}
		info, err := c.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Stream > 0
	})
}

// states returns the deliveries of an event by channel and user.
func (h *harness) states(eventID string) map[string]string {
	h.t.Helper()
	var rows []struct {
		UserID  string `db:"user_id"`
		Channel string `db:"channel"`
		State   string `db:"state"`
	}
	if err := h.db.Select(&rows, `SELECT user_id, channel, state FROM deliveries WHERE event_id = $1`, eventID); err != nil {
		h.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.UserID+"/"+r.Channel] = r.State
	}
	return out
}

// standIn answers the gateway's recipients query from the people above,
// over the test's real NATS, as the gateway does from its users table.
func standIn(t *testing.T, env *apptest.Env) {
	t.Helper()
	svc, err := bus.Serve(env.Deps.Bus.NC, "gateway", "1.0.0", "stand-in", nil, bus.Endpoint{
		Name: "recipients", Subject: "anxin.gateway.recipients",
		Handle: func(_ context.Context, raw []byte) (any, error) {
			var req struct {
				Audiences []struct{ User, Member, Role, Unit string } `json:"audiences"`
			}
			if err := json.Unmarshal(raw, &req); err != nil {
				return nil, bus.NewRemoteError("bad_request", err.Error())
			}
			type rec struct {
				UserID string `json:"user_id"`
				Lang   string `json:"lang"`
			}
			out := []rec{}
			for _, p := range people {
				for _, a := range req.Audiences {
					in := (a.User != "" && p.UserID == a.User) ||
						(a.Member != "" && p.MemberID == a.Member && (a.Role == "" || slices.Contains(p.Roles, auth.Role(a.Role)))) ||
						(a.User == "" && a.Member == "" && slices.Contains(p.Roles, auth.Role(a.Role)) && (a.Unit == "" || slices.Contains(p.Units, a.Unit)))
					if in {
						lang := string(p.Lang)
						if lang == "" {
							lang = "zh-CN"
						}
						out = append(out, rec{p.UserID, lang})
						break
					}
				}
			}
			return map[string]any{"recipients": out}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Stop() })
}

// dump logs the deliveries and their attempts, for a failed test.
func (h *harness) dump() {
	var rows []struct {
		Channel   string    `db:"channel"`
		State     string    `db:"state"`
		Attempts  int       `db:"attempts"`
		NextAt    time.Time `db:"next_at"`
		LastError string    `db:"last_error"`
	}
	if err := h.db.Select(&rows, `SELECT channel, state, attempts, next_at, last_error FROM deliveries ORDER BY created_at`); err != nil {
		h.t.Logf("dump: %v", err)
		return
	}
	h.t.Logf("clock %s; %d deliveries", h.env.Clock.Now(), len(rows))
	for _, r := range rows {
		h.t.Logf("  %s %s attempts=%d next=%s err=%q", r.Channel, r.State, r.Attempts, r.NextAt, r.LastError)
	}
	var dead, inbox int
	_ = h.db.Get(&dead, `SELECT count(*) FROM dead_letters`)
	_ = h.db.Get(&inbox, `SELECT count(*) FROM notifications`)
	h.t.Logf("dead letters %d, inbox entries %d, mails %d", dead, inbox, len(h.smtp.Mails()))
}
