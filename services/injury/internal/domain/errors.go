package domain

import (
	"errors"
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// ErrValidation is what every *fielderr.Invalid matches (it is
// fielderr.ErrInvalid): an input with field problems.
var ErrValidation = fielderr.ErrInvalid

// Sentinel errors. Each carries a stable code (a message-catalogue key) through
// Code, so the HTTP layer can localise it without parsing text.
var (
	// ErrNotFound is returned by lookups for a case, incident or document that
	// does not exist or that the caller may not see (the two are not told apart).
	ErrNotFound = &CodedError{Code: "injury.not_found"}
	// ErrUnsupportedDocument is returned when an upload is not a PDF, JPEG or PNG
	// by its content.
	ErrUnsupportedDocument = &CodedError{Code: "injury.document_type_unsupported"}
	// ErrDocumentTooLarge is returned when an upload exceeds MaxDocumentBytes.
	ErrDocumentTooLarge = &CodedError{Code: "injury.document_too_large", Args: []any{MaxDocumentBytes / (1 << 20)}}
	// ErrEmptyDocument is returned for an upload with no content.
	ErrEmptyDocument = &CodedError{Code: "injury.document_empty"}
	// ErrParameterMissing is returned when no dated parameter is in force on
	// the day a calculation needs it.
	ErrParameterMissing = &CodedError{Code: "injury.parameter_missing"}
	// ErrBadCaseNumber is returned by ParseCaseNumber.
	ErrBadCaseNumber = &CodedError{Code: "injury.case_number_invalid"}
)

// CodedError is an error with a stable catalogue code and its arguments.
type CodedError struct {
	Code string
	Args []any
}

func (e *CodedError) Error() string {
	if len(e.Args) == 0 {
		return e.Code
	}
	return fmt.Sprintf("%s %v", e.Code, e.Args)
}

// Is makes errors.Is match on the code, so a CodedError with different
// arguments still matches its sentinel.
func (e *CodedError) Is(target error) bool {
	var t *CodedError
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

// TransitionError reports an action that the case's current state does not
// allow, together with the actions the same actor could take instead, so the
// client can offer the right next steps (HTTP 409).
type TransitionError struct {
	Action  Action
	State   State
	Allowed []Action
	// Reason is a catalogue key saying why, when the state alone does not
	// (e.g. "injury.decision_paused").
	Reason string
	// ReasonArgs are the arguments of Reason's message, e.g. the last day
	// of a closed window as YYYY-MM-DD.
	ReasonArgs []any
}

// Code is the stable catalogue key of a refused transition.
func (e *TransitionError) Code() string { return "injury.transition_not_allowed" }

func (e *TransitionError) Error() string {
	return fmt.Sprintf("injury: %s not allowed in state %s (allowed: %v)", e.Action, e.State, e.Allowed)
}

// ForbiddenError reports an action the state allows but the actor's roles do
// not (HTTP 403 for a caller who may see the case).
type ForbiddenError struct {
	Action Action
}

// Code is the stable catalogue key of a refused role.
func (e *ForbiddenError) Code() string { return "injury.role_not_allowed" }

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("injury: role may not %s", e.Action)
}
