package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// SMS sends text messages through an HTTP gateway: one POST of
// {"to","text"} to URL with a Bearer token, and the delivery's id as
// Idempotency-Key, which the gateway is required to honour (the contract
// of this adapter: a provider without it sits behind a small relay that
// does). So a call whose outcome is unknown is simply repeated.
type SMS struct {
	URL    string
	Token  string
	Client *http.Client
}

// Idempotent is true: the gateway dedupes by Idempotency-Key.
func (s *SMS) Idempotent() bool { return true }

// Send posts the short text to the gateway.
func (s *SMS) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(map[string]string{"to": m.To, "text": m.Short})
	if err != nil {
		return err
	}
	h := http.Header{}
	h.Set("Idempotency-Key", m.Key)
	if s.Token != "" {
		h.Set("Authorization", "Bearer "+s.Token)
	}
	_, err = postJSON(ctx, client(s.Client), s.URL, h, bytes.NewReader(body))
	return err
}

func client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 10 * time.Second}
}
