package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"
)

// SessionPolicy says how long a signed-in session lives. OWASP's session
// guidance for systems holding sensitive personal data: an idle limit short
// enough that a phone left on a desk does not stay signed in, and an absolute
// limit so a stolen cookie dies within a working day.
type SessionPolicy struct {
	// Idle ends a session not used for this long. Default 30 minutes.
	Idle time.Duration
	// Absolute ends a session this long after sign-in whatever its use.
	// Default 12 hours.
	Absolute time.Duration
	// TouchEvery is how stale LastSeenAt may get before a request writes
	// it again: writing on every request would make every page view a
	// database write. Default 1 minute; keep it well below Idle.
	TouchEvery time.Duration
}

// DefaultSessions is the session policy unless configured.
var DefaultSessions = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour, TouchEvery: time.Minute}

// sessionTokenBytes is the entropy of a session id and of a form token:
// 256 bits, far past guessing.
const sessionTokenBytes = 32

// Session is one signed-in browser. The browser holds the id in a cookie;
// the database holds only its SHA-256 (IDHash), so a leaked table does not
// hand out live sessions.
type Session struct {
	IDHash     []byte
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end, fixed at sign-in.
	ExpiresAt time.Time
	// CSRFToken is the per-session form token every state-changing form
	// carries, besides the browser's own cross-origin checks.
	CSRFToken string
	Address   string
	UserAgent string
}

// NewSession starts a session for userID at now and returns it with the
// cookie value (the plain id), which is shown to nobody else and never
// stored. Every sign-in gets a fresh id, so an id planted before sign-in
// (session fixation) is worthless.
func (p SessionPolicy) NewSession(userID string, now time.Time, address, userAgent string) (Session, string) {
	token := randomToken()
	return Session{
		IDHash:     HashSessionToken(token),
		UserID:     userID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(p.Absolute),
		CSRFToken:  randomToken(),
		Address:    address,
		UserAgent:  truncate(userAgent, 256),
	}, token
}

// HashSessionToken is how a cookie value is looked up: SHA-256 of the
// token. A plain hash suffices because the token has 256 random bits.
func HashSessionToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Check returns ErrSessionExpired when s has passed its idle or absolute
// limit at now.
func (p SessionPolicy) Check(s Session, now time.Time) error {
	if !now.Before(s.ExpiresAt) || !now.Before(p.IdleDeadline(s)) {
		return ErrSessionExpired
	}
	return nil
}

// IdleDeadline is when s ends if not used again, never past its absolute end.
func (p SessionPolicy) IdleDeadline(s Session) time.Time {
	idle := s.LastSeenAt.Add(p.Idle)
	if idle.After(s.ExpiresAt) {
		return s.ExpiresAt
	}
	return idle
}

// NeedsTouch reports whether a request at now should record it as the
// session's last use.
func (p SessionPolicy) NeedsTouch(s Session, now time.Time) bool {
	return now.Sub(s.LastSeenAt) >= p.TouchEvery
}

// CSRFMatches compares a submitted form token with the session's in
// constant time; an empty token never matches.
func (s Session) CSRFMatches(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRFToken)) == 1
}

func randomToken() string {
	b := make([]byte, sessionTokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
