package domain

import (
	"errors"
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Codes of the problems this package reports. Each is a message-catalogue
// key; the HTTP layer registers zh-CN and en texts for every one of them.
const (
	CodeUsernameRequired = "gateway.user.username_required"
	CodeUsernameLength   = "gateway.user.username_length"
	CodeUsernameChars    = "gateway.user.username_chars"
	CodeNameRequired     = "gateway.user.name_required"
	CodeNameLength       = "gateway.user.name_length"
	CodeRolesRequired    = "gateway.user.roles_required"
	CodeRoleUnknown      = "gateway.user.role_unknown"
	CodeRoleNotForPeople = "gateway.user.role_not_for_people"
	CodeRolesConflict    = "gateway.user.roles_conflict"
	CodeMemberRequired   = "gateway.user.member_required"
	CodeMemberInvalid    = "gateway.user.member_invalid"
	CodeUnitsRequired    = "gateway.user.units_required"
	CodeUnitInvalid      = "gateway.user.unit_invalid"
	CodeLangUnknown      = "gateway.user.lang_unknown"
	CodeAlreadyDisabled  = "gateway.user.already_disabled"
	CodeNotDisabled      = "gateway.user.not_disabled"
	CodeDisableSelf      = "gateway.user.disable_self"
	CodeUserDisabled     = "gateway.user.disabled"
	CodeOIDCInvalid      = "gateway.user.oidc_invalid"

	CodePasswordRequired   = "gateway.password.required"
	CodePasswordTooShort   = "gateway.password.too_short"
	CodePasswordTooLong    = "gateway.password.too_long"
	CodePasswordCommon     = "gateway.password.common"
	CodePasswordIsUsername = "gateway.password.is_username"
	CodePasswordMismatch   = "gateway.password.mismatch"

	CodeSignInInvalid   = "gateway.signin.invalid_credentials"
	CodeSignInThrottled = "gateway.signin.throttled"

	CodeSessionExpired = "gateway.session.expired"
)

// Sentinel errors. Callers test them with errors.Is; each typed error below
// unwraps to one of them.
var (
	// ErrValidation is what every *fielderr.Invalid matches (it is
	// fielderr.ErrInvalid): an input with field problems.
	ErrValidation = fielderr.ErrInvalid
	// ErrInvalidCredentials means the username or password is wrong. It is
	// deliberately the same for an unknown user, a wrong password and a
	// disabled account, so sign-in never tells whether an account exists.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrThrottled is what every *ThrottledError unwraps to.
	ErrThrottled = errors.New("sign-in throttled")
	// ErrSessionExpired means the session passed its idle or absolute limit.
	ErrSessionExpired = errors.New("session expired")
	// ErrAlreadyDisabled means Disable was called on a disabled user.
	ErrAlreadyDisabled = errors.New("user already disabled")
	// ErrNotDisabled means Enable was called on an active user.
	ErrNotDisabled = errors.New("user not disabled")
	// ErrDisableSelf means an administrator tried to disable their own
	// account, which would lock the county out if they are the last admin.
	ErrDisableSelf = errors.New("cannot disable own account")
	// ErrUserDisabled means the user may not act because the account is
	// disabled.
	ErrUserDisabled = errors.New("user disabled")
	// ErrMalformedHash means a stored password hash is not a valid argon2id
	// encoding: a data problem, never the user's fault.
	ErrMalformedHash = errors.New("malformed password hash")
)

// ThrottledError says sign-in is refused until RetryAt. It is reported the
// same way whether or not the account exists.
type ThrottledError struct {
	RetryAt time.Time
	// Wait is how long from the decision until RetryAt, rounded up to a
	// whole minute for the message ("try again in %d minutes").
	Wait time.Duration
}

// Error says when sign-in may be tried again.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("sign-in throttled until %s", e.RetryAt.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Unwrap() error { return ErrThrottled }

// Code is the catalogue key of the message.
func (e *ThrottledError) Code() string { return CodeSignInThrottled }

// Minutes is the wait in whole minutes, at least 1, for the message.
func (e *ThrottledError) Minutes() int {
	m := int((e.Wait + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return m
}

// Code returns the catalogue key for a domain error, or "" when err is not
// one of this package's errors. The HTTP layer uses it to pick the message.
func Code(err error) string {
	var te *ThrottledError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &te):
		return te.Code()
	case errors.Is(err, ErrInvalidCredentials):
		return CodeSignInInvalid
	case errors.Is(err, ErrSessionExpired):
		return CodeSessionExpired
	case errors.Is(err, ErrAlreadyDisabled):
		return CodeAlreadyDisabled
	case errors.Is(err, ErrNotDisabled):
		return CodeNotDisabled
	case errors.Is(err, ErrDisableSelf):
		return CodeDisableSelf
	case errors.Is(err, ErrUserDisabled):
		return CodeUserDisabled
	}
	return ""
}
