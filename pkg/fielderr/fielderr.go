// Package fielderr is Anxin's one vocabulary for "this input field is
// wrong": a Problem names the field, the message-catalogue key that says
// why, and the arguments of its template. Domains build them while
// validating (List.Add, List.Err); pkg/httpx renders them as the errors of a
// 422 problem, each message in the request's language; the gateway's web
// forms put them beside their fields.
//
// The package is plain Go (no HTTP, no catalogue), so every domain may
// import it. Keep it so: a domain that needs a field problem uses this one
// instead of declaring its own (internal/guards checks).
package fielderr

import (
	"errors"
	"strings"
)

// Problem is one thing wrong with one input field.
//
// The JSON form is one entry of a problem document's "errors" member
// (field, code, message); Args are not sent, they are already in Message.
type Problem struct {
	// Field is the field's path as the client sent it ("spouse.name",
	// "dependants[2].name", "rows[7].monthly_wage"); "" is the input as a
	// whole.
	Field string `json:"field"`
	// Code is a message-catalogue key ("field.required",
	// "leave.field.date_order"), stable for clients to switch on.
	Code string `json:"code"`
	// Args fill Code's template, in order.
	Args []any `json:"-"`
	// Message is Code said in a reader's language. It is empty while a
	// problem is still a key and its arguments (in a domain), and set once
	// it has been rendered (pkg/httpx) or read from another service's
	// answer, where only the text travels.
	Message string `json:"message"`
}

// New returns the problem of field with code and its message arguments.
func New(field, code string, args ...any) Problem {
	return Problem{Field: field, Code: code, Args: args}
}

// List collects the problems found in one input, so a form can show them
// all at once instead of one per round trip. The zero List is empty and
// ready to use.
type List []Problem

// Add appends the problem of field with code and its message arguments.
func (l *List) Add(field, code string, args ...any) {
	*l = append(*l, Problem{Field: field, Code: code, Args: args})
}

// AddUnder appends the problems of a nested input with their fields put
// under prefix, such as "dependants[2]." or "form.".
func (l *List) AddUnder(prefix string, nested []Problem) {
	for _, p := range nested {
		p.Field = prefix + p.Field
		*l = append(*l, p)
	}
}

// Has reports whether some problem is about field.
func (l List) Has(field string) bool {
	for _, p := range l {
		if p.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when the list is empty, else an *Invalid carrying it.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return &Invalid{Problems: l}
}

// ErrInvalid is the sentinel every *Invalid matches with errors.Is. A
// domain's own validation sentinel is this one (ErrValidation = ErrInvalid),
// so errors.Is(err, domain.ErrValidation) holds whichever package built the
// error.
var ErrInvalid = errors.New("validation failed")

// Invalid is the error of an input with field problems. HTTP answers it
// with 422 "validation_failed" and one entry per problem.
type Invalid struct {
	Problems List
}

// Fail returns the *Invalid of one problem.
func Fail(field, code string, args ...any) error {
	return &Invalid{Problems: List{{Field: field, Code: code, Args: args}}}
}

// Error lists the fields and codes, for logs (never shown to users).
func (e *Invalid) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Code
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Invalid) Is(target error) bool { return target == ErrInvalid }

// Of returns the problems carried by err (however wrapped), or nil when err
// is not an *Invalid.
func Of(err error) List {
	var inv *Invalid
	if errors.As(err, &inv) {
		return inv.Problems
	}
	return nil
}
