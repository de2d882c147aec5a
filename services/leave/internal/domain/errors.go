package domain

import (
	"errors"
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Error is a broken domain rule. Its code is a stable message-catalogue key
// (for example "leave.balance_exceeded"): the HTTP layer maps it to a status
// and localizes it, so no user-facing text lives in the domain.
type Error struct {
	code string
}

// Error returns the code; the localized text is the HTTP layer's job.
func (e *Error) Error() string { return e.code }

// Code returns the stable message-catalogue key.
func (e *Error) Code() string { return e.code }

func newError(code string) *Error { return &Error{code: code} }

// Sentinel rule violations. Compare with errors.Is; use CodeOf to read the
// code and arguments of a wrapped or detailed error.
var (
	// ErrValidation is the sentinel a *fielderr.Invalid matches (it is
	// fielderr.ErrInvalid): an input with field problems.
	ErrValidation = fielderr.ErrInvalid

	ErrNotFound = newError("not_found")
	// ErrForbidden: the caller may see the object but not take the action
	// (a decision needs the role of the request's level in its unit).
	ErrForbidden         = newError("forbidden")
	ErrCalendarMissing   = newError("leave.calendar_missing")
	ErrDateOutOfYear     = newError("leave.date_out_of_year")
	ErrSpansYears        = newError("leave.request_spans_years")
	ErrNoWorkingDays     = newError("leave.no_working_days")
	ErrBalanceExceeded   = newError("leave.balance_exceeded")
	ErrOverlap           = newError("leave.overlap")
	ErrOverlapInjury     = newError("leave.overlap_injury_leave")
	ErrInvalidTransition = newError("leave.invalid_transition")
	ErrSelfApproval      = newError("leave.self_approval")
	ErrSameApprover      = newError("leave.same_approver")
	ErrAlreadyStarted    = newError("leave.already_started")
	ErrMemberInactive    = newError("leave.member_inactive")
	ErrCarryOverExceeded = newError("leave.carry_over_exceeded")
	ErrCarryOverTwice    = newError("leave.carry_over_twice")
	ErrRolloverYear      = newError("leave.rollover_year")
	ErrPayMissing        = newError("leave.pay_missing")

	ErrSessionFull       = newError("leave.recuperation.session_full")
	ErrSessionClosed     = newError("leave.recuperation.session_closed")
	ErrQuotaExhausted    = newError("leave.recuperation.quota_exhausted")
	ErrAlreadyBooked     = newError("leave.recuperation.already_booked")
	ErrBookingState      = newError("leave.recuperation.invalid_transition")
	ErrCapacityBelowUsed = newError("leave.recuperation.capacity_below_booked")

	ErrSlotFull         = newError("leave.healthcheck.slot_full")
	ErrRoundClosed      = newError("leave.healthcheck.round_closed")
	ErrCheckBooked      = newError("leave.healthcheck.already_booked")
	ErrCheckState       = newError("leave.healthcheck.invalid_transition")
	ErrCheckNotYetDue   = newError("leave.healthcheck.not_yet_held")
	ErrRoundUnitInvalid = newError("leave.healthcheck.wrong_unit")
	// ErrSlotTooLate: a slot is booked by the day before it at the latest
	// (the unit plans the day's checks); its own day is too late.
	ErrSlotTooLate = newError("leave.healthcheck.slot_too_late")
	// ErrCancelTooLate: a booking is cancelled by the day before its slot.
	ErrCancelTooLate = newError("leave.healthcheck.cancel_too_late")
)

// RuleErrors lists every sentinel that is a broken rule (all but
// ErrValidation, ErrNotFound and ErrForbidden, whose texts are the
// platform's), so a test can check each has a message.
func RuleErrors() []*Error {
	return []*Error{
		ErrCalendarMissing,
		ErrDateOutOfYear,
		ErrSpansYears,
		ErrNoWorkingDays,
		ErrBalanceExceeded,
		ErrOverlap,
		ErrOverlapInjury,
		ErrInvalidTransition,
		ErrSelfApproval,
		ErrSameApprover,
		ErrAlreadyStarted,
		ErrMemberInactive,
		ErrCarryOverExceeded,
		ErrRolloverYear,
		ErrPayMissing,
		ErrSessionFull,
		ErrSessionClosed,
		ErrQuotaExhausted,
		ErrAlreadyBooked,
		ErrBookingState,
		ErrCapacityBelowUsed,
		ErrSlotFull,
		ErrRoundClosed,
		ErrCheckBooked,
		ErrCheckState,
		ErrCheckNotYetDue,
		ErrRoundUnitInvalid,
		ErrSlotTooLate,
		ErrCancelTooLate,
	}
}

// DetailError is a sentinel Error with arguments for its message template,
// e.g. ErrBalanceExceeded with the requested and available days.
type DetailError struct {
	Err  *Error
	Args []any
}

// Error renders the code and arguments for logs.
func (d *DetailError) Error() string { return fmt.Sprintf("%s %v", d.Err.code, d.Args) }

// Unwrap lets errors.Is match the sentinel.
func (d *DetailError) Unwrap() error { return d.Err }

// Detail attaches message arguments to a sentinel.
func Detail(err *Error, args ...any) error { return &DetailError{Err: err, Args: args} }

// CodeOf returns the catalogue code and message arguments of a domain error,
// however deeply wrapped; ok is false for errors that are not domain rules
// (which the HTTP layer answers with a 500 and no internal text).
func CodeOf(err error) (code string, args []any, ok bool) {
	var d *DetailError
	if errors.As(err, &d) {
		return d.Err.code, d.Args, true
	}
	var e *Error
	if errors.As(err, &e) {
		return e.code, nil, true
	}
	if errors.Is(err, fielderr.ErrInvalid) {
		return "validation_failed", nil, true
	}
	return "", nil, false
}

// Field problem codes shared by several inputs.
const (
	// Platform codes (pkg/i18n registers their texts).
	CodeRequired      = "field.required"  // no args
	CodeNotDate       = "field.date"      // no args
	CodeTooLong       = "field.too_long"  // max characters
	CodeOutOfRange    = "field.range"     // min, max
	CodeInvalidChoice = "field.one_of"    // no args
	CodeDuplicate     = "field.duplicate" // no args
	CodeInPast        = "field.past"      // no args
	// The leave service's own field codes.
	CodeDateOrder      = "leave.field.date_order"                     // no args
	CodeNotWeekend     = "leave.field.not_weekend"                    // date
	CodeOffAndWork     = "leave.field.off_and_work"                   // date
	CodeOutOfYear      = "leave.field.out_of_year"                    // date, year
	CodeWrongSign      = "leave.field.wrong_sign"                     // no args
	CodeInjuryTooLong  = "leave.field.injury_too_long"                // months, last date
	CodeSlotOutOfRound = "leave.healthcheck.field.slot_outside_round" // opens, closes
)
