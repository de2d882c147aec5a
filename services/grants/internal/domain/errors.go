package domain

import (
	"fmt"
	"strings"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Sentinel errors of the grants domain. Each one is also a stable code (the
// message-catalogue key under which the HTTP layer finds its zh-CN and en
// text), so errors.Is works for callers and the code survives wrapping.
var (
	// ErrBudgetExhausted: the program's or the fund's remaining budget is
	// smaller than the amount to commit.
	ErrBudgetExhausted = newCodeError("grants.budget_exhausted")
	// ErrAppropriationShort: reducing a fund's appropriation would leave the
	// programs' allocations uncovered.
	ErrAppropriationShort = newCodeError("grants.appropriation_short")
	// ErrTransition: the action is not allowed in the application's state
	// (for example a committee approval before the caseworker review).
	ErrTransition = newCodeError("grants.transition_not_allowed")
	// ErrSelfApproval: the actor is the applicant, the member the
	// application is about, or the person who prepared it.
	ErrSelfApproval = newCodeError("grants.self_approval")
	// ErrSameApprover: the actor already acted on an earlier step (or already
	// gave a committee approval) and segregation of duties needs another person.
	ErrSameApprover = newCodeError("grants.same_approver")
	// ErrRoleRequired: the actor lacks the role the step needs.
	ErrRoleRequired = newCodeError("grants.role_required")
	// ErrDuplicateUnacknowledged: a duplicate-benefit flag is open and the
	// approver did not acknowledge it with a note.
	ErrDuplicateUnacknowledged = newCodeError("grants.duplicate_unacknowledged")
	// ErrNotEligible: the application does not meet the program's rules.
	ErrNotEligible = newCodeError("grants.not_eligible")
	// ErrUnbalanced: a ledger entry whose debits and credits differ.
	ErrUnbalanced = newCodeError("grants.ledger.unbalanced")
	// ErrAlreadyReversed: an entry can be reversed once only.
	ErrAlreadyReversed = newCodeError("grants.ledger.already_reversed")
	// ErrRateMissing: a dated parameter (national income, regional wage) is
	// not on file for the date the calculation needs.
	ErrRateMissing = newCodeError("grants.rate_missing")
	// ErrDocumentTooLarge: an upload over MaxDocumentBytes (argument: the
	// cap in MiB).
	ErrDocumentTooLarge = newCodeError("grants.document_too_large")
	// ErrDocumentType: an upload that is not a PDF, JPEG or PNG by its
	// content.
	ErrDocumentType = newCodeError("grants.document_type_unsupported")
	// ErrUploadNotAllowed: the caller is neither the applicant (or the
	// preparer) nor a caseworker of the application's unit.
	ErrUploadNotAllowed = newCodeError("grants.upload_not_allowed")
)

// ErrInvalid: input failed validation; the error is a *fielderr.Invalid
// carrying the field problems (ErrInvalid is fielderr.ErrInvalid).
var ErrInvalid = fielderr.ErrInvalid

// IneligibleError is ErrNotEligible with the verdict, so the applicant is
// told which rules were not met.
type IneligibleError struct {
	Result EligibilityResult
}

// Error lists the unmet criteria's codes.
func (e *IneligibleError) Error() string {
	var unmet []string
	for _, c := range e.Result.Criteria {
		if !c.Met {
			unmet = append(unmet, c.Code)
		}
	}
	return ErrNotEligible.Code + ": " + strings.Join(unmet, ", ")
}

// Is matches ErrNotEligible.
func (e *IneligibleError) Is(target error) bool { return target == ErrNotEligible }

// CodeError is an error identified by a stable code that is also a message
// catalogue key. Args fill the message template.
type CodeError struct {
	Code string
	Args []any
	base *CodeError
}

func newCodeError(code string) *CodeError { return &CodeError{Code: code} }

// Error returns the code and its arguments; users see the localized message.
func (e *CodeError) Error() string {
	if len(e.Args) == 0 {
		return e.Code
	}
	return fmt.Sprintf("%s %v", e.Code, e.Args)
}

// Is lets a CodeError made With arguments match its sentinel.
func (e *CodeError) Is(target error) bool {
	t, ok := target.(*CodeError)
	if !ok {
		return false
	}
	return e == t || (e.base != nil && e.base == t)
}

// With returns a copy of the sentinel carrying message arguments, still
// matching the sentinel with errors.Is.
func (e *CodeError) With(args ...any) *CodeError {
	base := e
	if e.base != nil {
		base = e.base
	}
	return &CodeError{Code: e.Code, Args: args, base: base}
}

// Field-level validation codes (catalogue keys) shared by several inputs.
const (
	CodeRequired       = "grants.field.required"
	CodeNegative       = "grants.field.negative"
	CodeNotPositive    = "grants.field.not_positive"
	CodeOverCap        = "grants.field.over_cap"
	CodeOutOfRange     = "grants.field.out_of_range"
	CodeUnknownValue   = "grants.field.unknown_value"
	CodeTooLong        = "grants.field.too_long"
	CodeMissingDocs    = "grants.field.missing_documents"
	CodeNotAllowedHere = "grants.field.not_allowed"
	// CodeInvalidID: an id that is not one (not a uuid).
	CodeInvalidID = "grants.field.invalid_id"
	// CodeBelowCommitted: a program's allocation below what it has already
	// committed; the argument is the committed amount.
	CodeBelowCommitted = "grants.field.below_committed"
	// CodeFixedOnceApplied: a program setting that cannot change once the
	// program has applications.
	CodeFixedOnceApplied = "grants.field.fixed_once_applied"
	// CodeProgramInactive: the program takes no new applications.
	CodeProgramInactive = "grants.field.program_inactive"
	// CodeDocumentEmpty: an upload with no file or an empty one.
	CodeDocumentEmpty = "grants.field.document_empty"
	// CodeNotDependant: the dependant named is not one the member has
	// registered (as enrollment's member events told the service).
	CodeNotDependant = "grants.field.not_a_dependant"
)
