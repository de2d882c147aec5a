package channels

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// DingTalk posts to a DingTalk group robot (自定义机器人) with its
// signature ("加签"): timestamp in milliseconds and sign =
// urlencode(base64(HMAC-SHA256(key=secret, "timestamp\nsecret"))) as query
// parameters beside the access_token already in the webhook URL. The robot
// has no idempotency key: an unknown outcome is left for an admin.
type DingTalk struct {
	Webhook string
	Secret  string
	Clock   clock.Clock
	Client  *http.Client
}

// Idempotent is false: the robot posts every call.
func (d *DingTalk) Idempotent() bool { return false }

// DingTalkSign is the signature of a call at timestamp (ms) with secret.
func DingTalkSign(timestamp int64, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Send posts the short text, mentioning the person's mobile if known.
func (d *DingTalk) Send(ctx context.Context, m Message) error {
	u, err := url.Parse(d.Webhook)
	if err != nil {
		return fmt.Errorf("%w: webhook: %w", domain.ErrRejected, err)
	}
	if d.Secret != "" {
		ts := d.Clock.Now().UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("sign", DingTalkSign(ts, d.Secret))
		u.RawQuery = q.Encode()
	}
	msg := map[string]any{"msgtype": "text", "text": map[string]string{"content": m.Short}}
	if m.To != "" {
		msg["at"] = map[string]any{"atMobiles": []string{m.To}}
	}
	return robotPost(ctx, d.Client, u.String(), msg, dingTalkRetryable)
}

// WeCom posts to a WeCom group robot (群机器人): the key is in the webhook
// URL (…/cgi-bin/webhook/send?key=…), which is its only credential. No
// idempotency key either.
type WeCom struct {
	Webhook string
	Client  *http.Client
}

// Idempotent is false: the robot posts every call.
func (w *WeCom) Idempotent() bool { return false }

// Send posts the short text, mentioning the person's mobile if known.
func (w *WeCom) Send(ctx context.Context, m Message) error {
	text := map[string]any{"content": m.Short}
	if m.To != "" {
		text["mentioned_mobile_list"] = []string{m.To}
	}
	return robotPost(ctx, w.Client, w.Webhook, map[string]any{"msgtype": "text", "text": text}, weComRetryable)
}

// Robot error codes that mean "try later": DingTalk 130101 (sending too
// fast), WeCom 45009 (API frequency limit) and -1 (system busy).
func dingTalkRetryable(code int) bool { return code == 130101 || code == -1 }
func weComRetryable(code int) bool    { return code == 45009 || code == -1 }

func robotPost(ctx context.Context, c *http.Client, webhook string, msg any, retryable func(int) bool) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	raw, err := postJSON(ctx, client(c), webhook, http.Header{}, bytes.NewReader(body))
	if err != nil {
		return err
	}
	var ans errcode
	if err := json.Unmarshal(raw, &ans); err != nil {
		return fmt.Errorf("%w: %w", domain.ErrUnknownOutcome, errNoAnswer)
	}
	switch {
	case ans.Code == 0:
		return nil
	case retryable(ans.Code):
		return fmt.Errorf("%w: errcode %d %s", domain.ErrNotSent, ans.Code, ans.Msg)
	default:
		return fmt.Errorf("%w: errcode %d %s", domain.ErrRejected, ans.Code, ans.Msg)
	}
}
