package auth

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TokenType is the typ of the identity tokens this code issues. A breaking
// change to the payload gets a new type, so a service never misreads a
// token written by a newer or older gateway.
const TokenType = "anxin-id/1"

// ClockSkew is how far the issuer's clock may be ahead of or behind the
// verifier's before a fresh token looks expired or not yet issued.
const ClockSkew = 30 * time.Second

// maxTokenLen bounds the work Verify does on untrusted input; real tokens
// are a few hundred bytes.
const maxTokenLen = 8 << 10

// signingContext separates these signatures from anything else the key
// might ever sign.
const signingContext = "anxin identity token\x00"

// encoding is unpadded base64url, rejecting non-canonical encodings so a
// token has exactly one spelling.
var encoding = base64.RawURLEncoding.Strict()

// claims is the token payload.
type claims struct {
	Type     string   `json:"typ"`
	UserID   string   `json:"sub"`
	MemberID string   `json:"mid,omitempty"`
	Name     string   `json:"name,omitempty"`
	Roles    []Role   `json:"roles,omitempty"`
	Units    []string `json:"units,omitempty"`
	Lang     string   `json:"lang,omitempty"`
	Audience string   `json:"aud,omitempty"`
	IssuedAt int64    `json:"iat"` // Unix seconds
	Expires  int64    `json:"exp"` // Unix seconds
}

// Tokens issues and verifies identity tokens: the compact form
// base64url(payload JSON) "." base64url(Ed25519 signature). They are not
// JWTs on purpose: one algorithm, no header to negotiate, nothing to
// misconfigure.
type Tokens struct {
	priv  ed25519.PrivateKey
	pub   ed25519.PublicKey
	clock clock.Clock
}

// NewTokens returns Tokens signing with keys.SigningKey and judging expiry
// by clk.
func NewTokens(keys *Keys, clk clock.Clock) *Tokens {
	return &Tokens{priv: keys.SigningKey, pub: keys.PublicKey(), clock: clk}
}

// Issue signs id for ttl from now. IssuedAt and ExpiresAt of id are
// ignored and set from the clock. It returns ErrBadIdentity for an identity
// without a user id, with an unknown role, or for ttl ≤ 0.
func (t *Tokens) Issue(id Identity, ttl time.Duration) (string, error) {
	if id.UserID == "" {
		return "", fmt.Errorf("%w: no user id", ErrBadIdentity)
	}
	if ttl < time.Second {
		return "", fmt.Errorf("%w: lifetime %v is under a second", ErrBadIdentity, ttl)
	}
	for _, r := range id.Roles {
		if !r.Valid() {
			return "", fmt.Errorf("%w: %w: %q", ErrBadIdentity, ErrUnknownRole, r)
		}
	}
	now := t.clock.Now()
	payload, err := json.Marshal(claims{
		Type:     TokenType,
		UserID:   id.UserID,
		MemberID: id.MemberID,
		Name:     id.Name,
		Roles:    id.Roles,
		Units:    id.Units,
		Lang:     string(id.Lang),
		Audience: id.Audience,
		IssuedAt: now.Unix(),
		Expires:  now.Add(ttl).Unix(),
	})
	if err != nil {
		return "", fmt.Errorf("auth: encode token: %w", err)
	}
	body := encoding.EncodeToString(payload)
	sig := ed25519.Sign(t.priv, signedBytes(body))
	return body + "." + encoding.EncodeToString(sig), nil
}

// Verify checks token's signature, type and lifetime and returns the
// identity it carries. Failures wrap ErrInvalidToken, or are ErrExpired for
// a genuine token past its expiry (allowing ClockSkew).
func (t *Tokens) Verify(token string) (Identity, error) {
	if len(token) > maxTokenLen {
		return Identity{}, fmt.Errorf("%w: too long", ErrInvalidToken)
	}
	body, sigText, ok := strings.Cut(token, ".")
	if !ok || strings.Contains(sigText, ".") {
		return Identity{}, fmt.Errorf("%w: not two parts", ErrInvalidToken)
	}
	sig, err := encoding.DecodeString(sigText)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return Identity{}, fmt.Errorf("%w: bad signature encoding", ErrInvalidToken)
	}
	// The signature is checked before the payload is even decoded: nothing
	// an attacker wrote is parsed unless our key signed it.
	if !ed25519.Verify(t.pub, signedBytes(body), sig) {
		return Identity{}, fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	payload, err := encoding.DecodeString(body)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: bad payload encoding", ErrInvalidToken)
	}
	var c claims
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: bad payload: %w", ErrInvalidToken, err)
	}
	if c.Type != TokenType {
		return Identity{}, fmt.Errorf("%w: type %q, want %q", ErrInvalidToken, c.Type, TokenType)
	}
	if c.UserID == "" || c.Expires <= c.IssuedAt {
		return Identity{}, fmt.Errorf("%w: incomplete claims", ErrInvalidToken)
	}
	now := t.clock.Now()
	issued, expires := time.Unix(c.IssuedAt, 0).UTC(), time.Unix(c.Expires, 0).UTC()
	if issued.After(now.Add(ClockSkew)) {
		return Identity{}, fmt.Errorf("%w: issued in the future (%v)", ErrInvalidToken, issued)
	}
	if !now.Before(expires.Add(ClockSkew)) {
		return Identity{}, fmt.Errorf("%w at %v", ErrExpired, expires)
	}
	roles := make([]Role, 0, len(c.Roles))
	for _, r := range c.Roles {
		// A role this build does not know (a newer gateway) grants nothing
		// here rather than rejecting the person outright.
		if r.Valid() {
			roles = append(roles, r)
		}
	}
	return Identity{
		UserID:    c.UserID,
		MemberID:  c.MemberID,
		Name:      c.Name,
		Roles:     roles,
		Units:     c.Units,
		Lang:      langOf(c.Lang),
		Audience:  c.Audience,
		IssuedAt:  issued,
		ExpiresAt: expires,
	}, nil
}

// VerifyFor is Verify for a service named audience: a token minted for
// another service, or for none, wraps ErrWrongAudience (and
// ErrInvalidToken).
func (t *Tokens) VerifyFor(token, audience string) (Identity, error) {
	id, err := t.Verify(token)
	if err != nil {
		return id, err
	}
	if id.Audience != audience {
		return Identity{}, fmt.Errorf("%w: %w: for %q, not %q", ErrInvalidToken, ErrWrongAudience, id.Audience, audience)
	}
	return id, nil
}

func signedBytes(body string) []byte {
	return []byte(signingContext + body)
}

func langOf(s string) i18n.Lang {
	if s == "" {
		return ""
	}
	return i18n.Parse(s)
}
