package domain_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestNewSession(t *testing.T) {
	t.Parallel()
	p := domain.DefaultSessions
	s, token := p.NewSession("u-1", now, "10.0.0.1", strings.Repeat("浏", 200))
	if len(token) != 43 {
		t.Errorf("token %q is not 32 bytes in base64url", token)
	}
	if !bytes.Equal(s.IDHash, domain.HashSessionToken(token)) || len(s.IDHash) != 32 {
		t.Error("IDHash is not SHA-256 of the token")
	}
	if bytes.Contains(s.IDHash, []byte(token)) || s.CSRFToken == token || len(s.CSRFToken) != 43 {
		t.Error("token leaks into the stored session")
	}
	if !s.ExpiresAt.Equal(now.Add(12*time.Hour)) || !s.LastSeenAt.Equal(now) {
		t.Errorf("session times %+v", s)
	}
	if len(s.UserAgent) > 256 || !strings.HasPrefix(strings.Repeat("浏", 200), s.UserAgent) {
		t.Errorf("user agent not cut on a rune boundary: %d bytes", len(s.UserAgent))
	}
	s2, token2 := p.NewSession("u-1", now, "", "")
	if token2 == token || s2.CSRFToken == s.CSRFToken {
		t.Error("two sessions share a token")
	}
}

func TestSessionCheck(t *testing.T) {
	t.Parallel()
	p := domain.DefaultSessions
	s, _ := p.NewSession("u-1", now, "", "")
	tests := []struct {
		name      string
		lastSeen  time.Time
		at        time.Time
		wantErr   error
		wantTouch bool
	}{
		{name: "fresh", lastSeen: now, at: now.Add(10 * time.Second)},
		{name: "touch after a minute", lastSeen: now, at: now.Add(time.Minute), wantTouch: true},
		{name: "idle 29m", lastSeen: now, at: now.Add(29 * time.Minute), wantTouch: true},
		{name: "idle 30m ends it", lastSeen: now, at: now.Add(30 * time.Minute), wantErr: domain.ErrSessionExpired},
		{name: "kept alive up to the absolute end", lastSeen: now.Add(11*time.Hour + 50*time.Minute), at: now.Add(11*time.Hour + 59*time.Minute), wantTouch: true},
		{name: "absolute end", lastSeen: now.Add(11*time.Hour + 59*time.Minute), at: now.Add(12 * time.Hour), wantErr: domain.ErrSessionExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := s
			s.LastSeenAt = tc.lastSeen
			if err := p.Check(s, tc.at); !errors.Is(err, tc.wantErr) {
				t.Fatalf("Check = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && p.NeedsTouch(s, tc.at) != tc.wantTouch {
				t.Errorf("NeedsTouch = %v, want %v", !tc.wantTouch, tc.wantTouch)
			}
			if d := p.IdleDeadline(s); d.After(s.ExpiresAt) {
				t.Errorf("idle deadline %v past absolute end %v", d, s.ExpiresAt)
			}
		})
	}
}

func TestSessionCSRF(t *testing.T) {
	t.Parallel()
	s, _ := domain.DefaultSessions.NewSession("u-1", now, "", "")
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{name: "right", token: s.CSRFToken, want: true},
		{name: "empty", token: ""},
		{name: "other", token: strings.Repeat("A", 43)},
		{name: "prefix", token: s.CSRFToken[:42]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := s.CSRFMatches(tc.token); got != tc.want {
				t.Errorf("CSRFMatches = %v, want %v", got, tc.want)
			}
		})
	}
	var empty domain.Session
	if empty.CSRFMatches("") {
		t.Error("an empty token matched a session without one")
	}
}
