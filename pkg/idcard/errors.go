package idcard

import "errors"

// Codes of the ways an identity number can be wrong. Each is also the
// message-catalogue key the HTTP layer localizes (see messages.go), so a
// field error can carry the code as it is.
const (
	CodeRequired  = "idcard.required"
	CodeLength    = "idcard.length"
	CodeLegacy15  = "idcard.legacy15"
	CodeFormat    = "idcard.format"
	CodeBirthDate = "idcard.birth_date"
	CodeFuture    = "idcard.future"
	CodeChecksum  = "idcard.checksum"
)

// Error is why a string is not a valid identity number. Code is one of the
// Code constants. The error never contains the number itself: identity
// numbers are personal data and errors end up in logs.
type Error struct {
	Code string
}

// Error returns a developer-facing text; users see the catalogue text for
// Code instead.
func (e *Error) Error() string {
	switch e.Code {
	case CodeRequired:
		return "idcard: identity number is empty"
	case CodeLength:
		return "idcard: identity number must have 18 characters"
	case CodeLegacy15:
		return "idcard: 15-digit legacy identity numbers are not accepted"
	case CodeFormat:
		return "idcard: identity number must be 17 digits and a digit or X"
	case CodeBirthDate:
		return "idcard: birth date in identity number is not a real date"
	case CodeFuture:
		return "idcard: birth date in identity number is in the future"
	case CodeChecksum:
		return "idcard: identity number check character does not match"
	default:
		return "idcard: invalid identity number (" + e.Code + ")"
	}
}

// Is makes errors.Is match any *Error with the same Code (so the sentinels
// below work however the error was built) and every *Error against
// ErrInvalid.
func (e *Error) Is(target error) bool {
	if target == ErrInvalid {
		return true
	}
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrInvalid matches every error Parse, ParseAt and Validate return, for
// callers that only need to know "not a valid identity number".
var ErrInvalid = errors.New("idcard: invalid identity number")

// Sentinels for errors.Is, one per code.
var (
	ErrRequired  = &Error{Code: CodeRequired}
	ErrLength    = &Error{Code: CodeLength}
	ErrLegacy15  = &Error{Code: CodeLegacy15}
	ErrFormat    = &Error{Code: CodeFormat}
	ErrBirthDate = &Error{Code: CodeBirthDate}
	ErrFuture    = &Error{Code: CodeFuture}
	ErrChecksum  = &Error{Code: CodeChecksum}
)
