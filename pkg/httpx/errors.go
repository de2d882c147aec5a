package httpx

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// The platform's stable problem codes. A service adds its own codes (for
// example "leave.balance_exceeded") and registers the title of each under
// "problem."+code in pkg/i18n.
const (
	CodeBadRequest           = "bad_request"
	CodeValidationFailed     = "validation_failed"
	CodeMalformedJSON        = "malformed_json"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeTooLarge             = "too_large"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeUnauthenticated      = "unauthenticated"
	CodeForbidden            = "forbidden"
	CodeConflict             = "conflict"
	CodeVersionMismatch      = "version_mismatch"
	CodePreconditionRequired = "precondition_required"
	CodeInvalidIfMatch       = "invalid_if_match"
	CodeRateLimited          = "rate_limited"
	CodeInternal             = "internal"
	CodeUnavailable          = "unavailable"
)

var (
	// errNilResponse is logged when a handler calls Respond without an error.
	errNilResponse = errors.New("httpx: Respond called with a nil error")
	// errETagSyntax is the cause of an invalid_if_match problem.
	errETagSyntax = errors.New(`httpx: If-Match is not one entity tag of the form "7" or W/"7"`)
)

// Error is an HTTP problem a handler answers with: a status, a stable code
// clients can switch on, and optionally per-field errors, a detail message
// and extension members. Its title is the catalogue message
// "problem."+Code, localized when it is written.
//
// An Error is immutable once built: the With methods return copies, so
// package-level Errors can be shared between goroutines.
type Error struct {
	// Status is the HTTP status, 400–599.
	Status int
	// Code is the stable machine-readable code, e.g. "validation_failed".
	Code string
	// Args format the title template, if it has verbs.
	Args []any
	// Fields lists the per-field problems of a validation failure.
	Fields []fielderr.Problem

	detailKey  string
	detailArgs []any
	extra      map[string]any
	cause      error
}

// NewError returns a problem with the given status and code; args format
// the title template "problem."+code.
func NewError(status int, code string, args ...any) *Error {
	return &Error{Status: status, Code: code, Args: args}
}

// Invalid returns the 422 "validation_failed" problem carrying fields. Each
// field's Field is its JSON path as the client sent it ("spouse.name"); its
// Code ("field.required"), formatted with Args in the request's language,
// becomes the entry's message.
func Invalid(fields ...fielderr.Problem) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: CodeValidationFailed, Fields: fields}
}

// NotFound returns the 404 problem. It is also the answer for an object the
// caller may not see, so its existence does not leak.
func NotFound() *Error { return NewError(http.StatusNotFound, CodeNotFound) }

// Forbidden returns the 403 problem.
func Forbidden() *Error { return NewError(http.StatusForbidden, CodeForbidden) }

// Unauthenticated returns the 401 problem.
func Unauthenticated() *Error { return NewError(http.StatusUnauthorized, CodeUnauthenticated) }

// VersionMismatch returns the 409 problem for an If-Match version that is no
// longer current: someone else changed the object since the client read it.
// ARCHITECTURE.md settles on 409 (not 412) so clients treat every lost
// update alike.
func VersionMismatch() *Error {
	return NewError(http.StatusConflict, CodeVersionMismatch)
}

// PreconditionRequired returns the 428 problem for an update sent without
// If-Match.
func PreconditionRequired() *Error {
	return NewError(http.StatusPreconditionRequired, CodePreconditionRequired)
}

// Internal returns the 500 problem, keeping cause for the log only.
func Internal(cause error) *Error {
	e := NewError(http.StatusInternalServerError, CodeInternal)
	e.cause = cause
	return e
}

// Error describes the problem for logs; it is never shown to users.
func (e *Error) Error() string {
	s := fmt.Sprintf("http %d %s", e.Status, e.Code)
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s: %s", f.Field, f.Code)
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the cause given to WithCause, so errors.Is and errors.As
// see through the problem to what caused it.
func (e *Error) Unwrap() error { return e.cause }

// WithExtra returns a copy of e with the extension member key set to value
// in the problem document (RFC 9457 section 3.2). Keys of the standard
// members (type, title, status, code, detail, instance, errors, request_id)
// cannot be overridden and are ignored.
func (e *Error) WithExtra(key string, value any) *Error {
	c := e.clone()
	if c.extra == nil {
		c.extra = map[string]any{}
	}
	c.extra[key] = value
	return c
}

// WithDetail returns a copy of e whose detail is the catalogue message key
// formatted with args, localized when written.
func (e *Error) WithDetail(key string, args ...any) *Error {
	c := e.clone()
	c.detailKey, c.detailArgs = key, args
	return c
}

// WithCause returns a copy of e that records cause for the log. The cause
// is never written to the client.
func (e *Error) WithCause(cause error) *Error {
	c := e.clone()
	c.cause = cause
	return c
}

// WithFields returns a copy of e with fields added.
func (e *Error) WithFields(fields ...fielderr.Problem) *Error {
	c := e.clone()
	c.Fields = append(slices.Clip(c.Fields), fields...)
	return c
}

func (e *Error) clone() *Error {
	c := *e
	c.extra = maps.Clone(e.extra)
	return &c
}
