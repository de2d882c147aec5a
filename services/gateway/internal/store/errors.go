package store

import "errors"

// Errors of the repositories. Database failures are returned wrapped and
// are none of these.
var (
	// ErrNotFound means no row has the id, name or token asked for.
	ErrNotFound = errors.New("not found")
	// ErrUsernameTaken means another user already has the username.
	ErrUsernameTaken = errors.New("username taken")
	// ErrOIDCTaken means another user is already linked to the OIDC subject.
	ErrOIDCTaken = errors.New("oidc subject already linked")
	// ErrVersionMismatch means the user changed since the caller read it.
	ErrVersionMismatch = errors.New("version mismatch")
	// ErrUserDisabled means a session was asked for a disabled user: the
	// database refuses it even when the sign-in raced the disabling.
	ErrUserDisabled = errors.New("user disabled")
)
