package auth

import (
	"errors"

	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Errors of the auth package. Verify wraps ErrInvalidToken with the reason;
// callers test with errors.Is and must not show the reason to the client.
var (
	// ErrInvalidToken means a token is malformed, not signed by our key, of
	// an unknown type or version, or issued in the future.
	ErrInvalidToken = errors.New("auth: invalid identity token")
	// ErrExpired means a correctly signed token is past its expiry.
	ErrExpired = errors.New("auth: identity token expired")
	// ErrWrongAudience is a genuine token minted for another service.
	ErrWrongAudience = errors.New("auth: identity token is for another service")
	// ErrUnknownRole means a role name is not one of the roles (it is
	// roles.ErrUnknown).
	ErrUnknownRole = roles.ErrUnknown
	// ErrKeysMissing means the keys file does not exist; LoadOrCreateKeys
	// creates it, LoadKeys does not.
	ErrKeysMissing = errors.New("auth: keys file missing")
	// ErrKeysMalformed means the keys file exists but cannot be used.
	ErrKeysMalformed = errors.New("auth: keys file malformed")
	// ErrBadIdentity means Issue was asked to sign an identity no service
	// could act on (no user id, an unknown role, a non-positive lifetime).
	ErrBadIdentity = errors.New("auth: identity cannot be issued")
)
