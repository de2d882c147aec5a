package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// A service account is a machine client of the API: the county HR system
// pushing its roster, the finance system pulling the ledger. It holds a few
// roles fit for machines, the units it works on, and an expiry; it has no
// password and no session. It proves itself with an API token sent as
// `Authorization: Bearer anx_<prefix>_<secret>`:
//
//   - prefix is 16 hex digits (64 random bits), stored in plain: it finds
//     the account and names the token on pages and in the audit trail;
//   - secret is 32 random bytes (256 bits) in base64url; only its SHA-256 is
//     stored. A plain hash suffices because the secret is random, not a
//     password a person chose, and it keeps each request's check cheap.
//
// The whole token is shown once, when the account is created.

// TokenScheme starts every API token, so a leaked one is recognisable (by
// secret scanners too) and a bearer that is not one is told apart at once.
const TokenScheme = "anx_"

const (
	tokenPrefixBytes = 8
	tokenSecretBytes = 32
)

// Limits of a service account.
const (
	// MaxTokenLife is the longest an account may be valid: a token is
	// re-issued at least once a year, so a forgotten one dies.
	MaxTokenLife = 366 * 24 * time.Hour
	// MinTokenLife keeps an expiry from being set in the past by a typo of
	// the year.
	MinTokenLife = time.Hour
	// TouchEvery is how often a use is written to the account's last use
	// (and, for reads, to the audit trail): a busy client would otherwise
	// write a row on every request.
	TouchEvery = time.Minute
)

// MachineRoles are the roles a service account may hold: the ones whose
// work a system does without a person's judgement. Roster import is a
// caseworker's (of HR's units), the ledger is finance's, the trails are the
// auditor's. People's roles (officer, family), decisions (approver, unit
// head), health results (medical caseworker) and administration stay with
// people: a stolen token must not approve a grant or create a user.
var MachineRoles = []Role{RoleCaseworker, RoleFinance, RoleAuditor}

// ServiceAccount is a machine client and the hash of its token.
type ServiceAccount struct {
	ID   string
	Name string
	// TokenPrefix is the public part of the token: the lookup key.
	TokenPrefix string
	// SecretHash is SHA-256 of the token's secret part.
	SecretHash []byte
	Roles      []Role
	Units      []string
	ExpiresAt  time.Time
	CreatedAt  time.Time
	CreatedBy  string // the administrator's user id
	RevokedAt  time.Time
	RevokedBy  string
	// LastUsedAt and LastUsedAddress are the latest recorded use, at most
	// TouchEvery stale; zero when never used.
	LastUsedAt      time.Time
	LastUsedAddress string
	Version         int64
	// CreatedByName and RevokedByName are the administrators' usernames,
	// filled by the store for display.
	CreatedByName string
	RevokedByName string
}

// ServiceAccountInput is what an administrator fills in.
type ServiceAccountInput struct {
	Name      string
	Roles     []Role
	Units     []string
	ExpiresAt time.Time
}

// Errors of service accounts.
var (
	// ErrTokenInvalid means a bearer token is malformed, unknown or its
	// secret is wrong: one answer for all three, so a caller learns nothing
	// about which prefixes exist.
	ErrTokenInvalid = errors.New("invalid API token")
	// ErrTokenRevoked means the token's account was revoked.
	ErrTokenRevoked = errors.New("API token revoked")
	// ErrTokenExpired means the token's account passed its expiry.
	ErrTokenExpired = errors.New("API token expired")
	// ErrAlreadyRevoked means Revoke was called on a revoked account.
	ErrAlreadyRevoked = errors.New("service account already revoked")
)

// Codes of service account problems (message-catalogue keys).
const (
	CodeAccountNameRequired = "gateway.service_account.name_required"
	CodeAccountNameLength   = "gateway.service_account.name_length"
	CodeRoleNotForMachines  = "gateway.service_account.role_not_for_machines"
	CodeExpiryRequired      = "gateway.service_account.expiry_required"
	CodeExpiryPast          = "gateway.service_account.expiry_past"
	CodeExpiryTooFar        = "gateway.service_account.expiry_too_far"
	CodeAlreadyRevoked      = "gateway.service_account.already_revoked"
)

// NewServiceAccount validates in and returns the account with its token,
// which the caller shows once and never stores. createdBy is the
// administrator's user id.
func NewServiceAccount(id string, in ServiceAccountInput, createdBy string, now time.Time) (*ServiceAccount, string, error) {
	in = normalizeAccountInput(in)
	var ps fielderr.List
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		ps.Add("name", CodeAccountNameRequired)
	case n > NameMaxLen:
		ps.Add("name", CodeAccountNameLength, NameMaxLen)
	}
	validateMachineRoles(&ps, in)
	for _, u := range in.Units {
		if len(u) > RefMaxLen || !refChars(u) {
			ps.Add("units", CodeUnitInvalid, u)
			break
		}
	}
	switch {
	case in.ExpiresAt.IsZero():
		ps.Add("expires_at", CodeExpiryRequired)
	case in.ExpiresAt.Before(now.Add(MinTokenLife)):
		ps.Add("expires_at", CodeExpiryPast)
	case in.ExpiresAt.After(now.Add(MaxTokenLife)):
		ps.Add("expires_at", CodeExpiryTooFar, int(MaxTokenLife/(24*time.Hour)))
	}
	if err := ps.Err(); err != nil {
		return nil, "", err
	}
	prefix, secret := randomHex(tokenPrefixBytes), randomSecret()
	return &ServiceAccount{
		ID: id, Name: in.Name, TokenPrefix: prefix, SecretHash: hashSecret(secret),
		Roles: in.Roles, Units: in.Units, ExpiresAt: in.ExpiresAt.UTC(),
		CreatedAt: now, CreatedBy: createdBy, Version: 1,
	}, TokenScheme + prefix + "_" + secret, nil
}

func normalizeAccountInput(in ServiceAccountInput) ServiceAccountInput {
	u := normalizeInput(UserInput{DisplayName: in.Name, Roles: in.Roles, Units: in.Units})
	in.Name, in.Roles, in.Units = u.DisplayName, u.Roles, u.Units
	return in
}

// validateMachineRoles allows MachineRoles only, and units for the roles
// that work on some units (a caseworker's token without units would see
// nothing, which is surely a mistake).
func validateMachineRoles(ps *fielderr.List, in ServiceAccountInput) {
	if len(in.Roles) == 0 {
		ps.Add("roles", CodeRolesRequired)
		return
	}
	for _, r := range in.Roles {
		if !slices.Contains(MachineRoles, r) {
			if !r.Known() {
				ps.Add("roles", CodeRoleUnknown, string(r))
			} else {
				ps.Add("roles", CodeRoleNotForMachines, string(r))
			}
			return
		}
	}
	for _, r := range in.Roles {
		if r.needsUnits() && len(in.Units) == 0 {
			ps.Add("units", CodeUnitsRequired)
			return
		}
	}
}

// ParseToken splits a bearer token into its prefix and secret; ok is
// false for anything that is not shaped like one of ours.
func ParseToken(token string) (prefix, secret string, ok bool) {
	rest, found := strings.CutPrefix(token, TokenScheme)
	if !found {
		return "", "", false
	}
	prefix, secret, found = strings.Cut(rest, "_")
	if !found || len(prefix) != 2*tokenPrefixBytes || !isLowerHex(prefix) ||
		len(secret) != base64.RawURLEncoding.EncodedLen(tokenSecretBytes) {
		return "", "", false
	}
	return prefix, secret, true
}

// LooksLikeToken reports whether a bearer credential is meant as an API
// token (it starts with TokenScheme), well-formed or not.
func LooksLikeToken(credential string) bool { return strings.HasPrefix(credential, TokenScheme) }

// Authenticate checks secret against the stored hash in constant time and
// the account's state at now: nil, ErrTokenInvalid, ErrTokenRevoked or
// ErrTokenExpired. a may be nil (no account has the prefix): the hash is
// compared anyway, so the answer takes the same time.
func (a *ServiceAccount) Authenticate(secret string, now time.Time) error {
	want := make([]byte, sha256.Size)
	if a != nil {
		want = a.SecretHash
	}
	if subtle.ConstantTimeCompare(hashSecret(secret), want) != 1 || a == nil {
		return ErrTokenInvalid
	}
	switch {
	case a.Revoked():
		return ErrTokenRevoked
	case !now.Before(a.ExpiresAt):
		return ErrTokenExpired
	}
	return nil
}

// Revoked reports whether the account was revoked.
func (a *ServiceAccount) Revoked() bool { return !a.RevokedAt.IsZero() }

// Expired reports whether the account has passed its expiry at now.
func (a *ServiceAccount) Expired(now time.Time) bool { return !now.Before(a.ExpiresAt) }

// Revoke ends the account at now: its token is refused from the next
// request on. by is the administrator.
func (a *ServiceAccount) Revoke(by string, now time.Time) error {
	if a.Revoked() {
		return ErrAlreadyRevoked
	}
	a.RevokedAt, a.RevokedBy = now, by
	a.Version++
	return nil
}

// NeedsTouch reports whether a use at now should be written as the last
// use: never used, or last written TouchEvery ago or more.
func (a *ServiceAccount) NeedsTouch(now time.Time) bool {
	return a.LastUsedAt.IsZero() || now.Sub(a.LastUsedAt) >= TouchEvery
}

// DisplayPrefix is how pages and the audit trail name the token: its
// scheme and public prefix, never the secret.
func (a *ServiceAccount) DisplayPrefix() string { return TokenScheme + a.TokenPrefix }

func hashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

func randomSecret() string {
	b := make([]byte, tokenSecretBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func isLowerHex(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// TokenThrottleKey is the account name bad API tokens are recorded and
// throttled under (login_attempts.account_key), with the caller's address:
// sign-in throttling applies to them per address. It cannot be a
// username (brackets are not allowed in one), so it never slows a person.
const TokenThrottleKey = "[api-token]"
