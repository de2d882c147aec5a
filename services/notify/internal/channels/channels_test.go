package channels_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels"
	"github.com/anxin-welfare/anxin/services/notify/internal/channels/channelstest"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

var msg = channels.Message{Key: "0b8f3f4e-8a57-4bb8-9a0e-2f1d3c4b5a69", To: "wang@example.cn", Subject: "新工伤案件 GC-2026-000001",
	Body: "本单位新受理工伤案件 GC-2026-000001，请及时跟进。", Short: "【安心】本单位有新的工伤案件。 详情请登录查看：https://anxin.example/cases/1"}

func TestEmailGoesOverSTARTTLSWithItsKeyAsMessageID(t *testing.T) {
	t.Parallel()
	srv := channelstest.StartSMTP(t)
	e := &channels.Email{Addr: srv.Addr, TLS: srv.ClientTLS, From: "anxin@county.example", Clock: clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))}
	if err := e.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Mails()
	if len(got) != 1 {
		t.Fatalf("server got %d mails, want 1", len(got))
	}
	m := got[0]
	if !m.TLS || m.From != "anxin@county.example" || len(m.To) != 1 || m.To[0] != msg.To {
		t.Errorf("envelope = %+v", m)
	}
	if m.MessageID != "<"+msg.Key+"@anxin.local>" || m.Subject != msg.Subject {
		t.Errorf("Message-ID %q subject %q", m.MessageID, m.Subject)
	}
	if e.Idempotent() {
		t.Error("SMTP has no idempotency: an unknown outcome must not be resent automatically")
	}
}

func TestEmailRefusesAServerWithoutSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := channelstest.StartSMTP(t)
	srv.NoSTARTTLS = true
	e := &channels.Email{Addr: srv.Addr, TLS: srv.ClientTLS, From: "anxin@county.example"}
	err := e.Send(context.Background(), msg)
	if !errors.Is(err, domain.ErrNotSent) {
		t.Fatalf("err = %v, want not sent", err)
	}
	if n := len(srv.Mails()); n != 0 {
		t.Fatalf("%d mails went in the clear", n)
	}
}

func TestEmailToAServerThatIsNotThereIsNotSent(t *testing.T) {
	t.Parallel()
	ln := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(ln.URL, "http://")
	ln.Close()
	err := (&channels.Email{Addr: addr, From: "a@b.cn"}).Send(context.Background(), msg)
	if !errors.Is(err, domain.ErrNotSent) {
		t.Fatalf("err = %v, want not sent", err)
	}
}

func TestDingTalkSignsTimestampAndSecretAsThePlatformDefines(t *testing.T) {
	t.Parallel()
	const secret = "SECtest0123456789"
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	var (
		mu   sync.Mutex
		body map[string]any
		q    map[string]string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		_ = json.Unmarshal(raw, &body)
		q = map[string]string{"access_token": r.URL.Query().Get("access_token"), "timestamp": r.URL.Query().Get("timestamp"),
			"sign": r.URL.Query().Get("sign"), "raw": r.URL.RawQuery}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	d := &channels.DingTalk{Webhook: srv.URL + "/robot/send?access_token=tok123", Secret: secret, Clock: clock.NewFake(now)}
	m := msg
	m.To = "13800138000"
	if err := d.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if q["access_token"] != "tok123" || q["timestamp"] != ts || q["sign"] != want {
		t.Errorf("query = %v, want timestamp %s sign %s", q, ts, want)
	}
	// The sign is URL-encoded in the query: base64's + / = do not survive raw.
	rawSign, _, _ := strings.Cut(strings.SplitN(q["raw"], "sign=", 2)[1], "&")
	if strings.ContainsAny(rawSign, "+/=") {
		t.Errorf("sign not URL-encoded: %s", q["raw"])
	}
	text, _ := body["text"].(map[string]any)
	at, _ := body["at"].(map[string]any)
	if body["msgtype"] != "text" || text["content"] != m.Short || at == nil {
		t.Errorf("body = %v", body)
	}
}

func TestWeComCarriesTheKeyInTheURLAndMentionsTheMobile(t *testing.T) {
	t.Parallel()
	var got map[string]any
	var key string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key = r.URL.Query().Get("key")
		_ = json.NewDecoder(r.Body).Decode(&got)
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	m := msg
	m.To = "13800138000"
	if err := (&channels.WeCom{Webhook: srv.URL + "/cgi-bin/webhook/send?key=k-693a"}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	text, _ := got["text"].(map[string]any)
	if key != "k-693a" || got["msgtype"] != "text" || text["content"] != m.Short {
		t.Errorf("key %q body %v", key, got)
	}
	if l, _ := text["mentioned_mobile_list"].([]any); len(l) != 1 || l[0] != "13800138000" {
		t.Errorf("mentioned = %v", text["mentioned_mobile_list"])
	}
}

func TestRobotAndGatewayAnswersAreClassified(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"ok", 200, `{"errcode":0,"errmsg":"ok"}`, nil},
		{"too fast", 200, `{"errcode":45009,"errmsg":"api freq out of limit"}`, domain.ErrNotSent},
		{"bad key", 200, `{"errcode":93000,"errmsg":"invalid webhook url"}`, domain.ErrRejected},
		{"server error", 502, ``, domain.ErrNotSent},
		{"refused", 400, ``, domain.ErrRejected},
		{"throttled", 429, ``, domain.ErrNotSent},
		{"not json", 200, `<html>`, domain.ErrUnknownOutcome},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			err := (&channels.WeCom{Webhook: srv.URL + "/send?key=k"}).Send(context.Background(), msg)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSMSSendsTheDeliveryKeyAsIdempotencyKey(t *testing.T) {
	t.Parallel()
	var key, auth string
	var body map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, auth = r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	s := &channels.SMS{URL: srv.URL, Token: "t0k"}
	m := msg
	m.To = "13800138000"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if key != m.Key || auth != "Bearer t0k" || body["to"] != m.To || body["text"] != m.Short || !s.Idempotent() {
		t.Errorf("key %q auth %q body %v", key, auth, body)
	}
}

func TestACallThatBreaksAfterTheRequestWasWrittenHasAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		cancel() // the caller goes away after the robot has the message
		<-r.Context().Done()
	}))
	defer srv.Close()
	err := (&channels.WeCom{Webhook: srv.URL + "/send?key=k"}).Send(ctx, msg)
	if !errors.Is(err, domain.ErrUnknownOutcome) {
		t.Fatalf("err = %v, want unknown outcome", err)
	}
}
