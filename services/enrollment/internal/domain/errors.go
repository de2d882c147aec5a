package domain

import (
	"errors"
	"fmt"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Sentinel errors. Each one is also a message-catalogue key through Code, so
// the HTTP layer can answer with a stable code and a localized title without
// knowing the domain.
var (
	// ErrValidation is matched by every *fielderr.Invalid (it is
	// fielderr.ErrInvalid): an input with field problems.
	ErrValidation = fielderr.ErrInvalid
	// ErrMemberNotActive is returned when an operation needs an active member.
	ErrMemberNotActive = errors.New("enrollment: member is not active")
	// ErrMemberDeceased is returned for any change of status after death.
	ErrMemberDeceased = errors.New("enrollment: member is deceased")
	// ErrNotEligible is wrapped by every *IneligibleError.
	ErrNotEligible = errors.New("enrollment: member is not eligible for the plan")
	// ErrOverlap is returned when two enrollment periods of one member in
	// one scheme would overlap. PostgreSQL enforces the same rule.
	ErrOverlap = errors.New("enrollment: overlapping enrollment period")
	// ErrEnrollmentClosed is returned when a lapsed or ended enrollment is
	// asked to lapse or end again: a closed period is a fact.
	ErrEnrollmentClosed = errors.New("enrollment: enrollment already closed")
	// ErrDependantNotFound is returned for an unknown dependant id.
	ErrDependantNotFound = errors.New("enrollment: dependant not found")
	// ErrUnitCycle is returned when a unit would become its own ancestor.
	ErrUnitCycle = errors.New("enrollment: unit tree cycle")
	// ErrUnknownUnit is returned when a unit id is not in the tree.
	ErrUnknownUnit = errors.New("enrollment: unknown unit")
)

// codes maps the sentinels to their catalogue keys.
var codes = map[error]string{
	ErrValidation:        "validation_failed",
	ErrMemberNotActive:   "enrollment.member_not_active",
	ErrMemberDeceased:    "enrollment.member_deceased",
	ErrNotEligible:       "enrollment.not_eligible",
	ErrOverlap:           "enrollment.overlap",
	ErrEnrollmentClosed:  "enrollment.enrollment_closed",
	ErrDependantNotFound: "enrollment.dependant_not_found",
	ErrUnitCycle:         "enrollment.unit_cycle",
	ErrUnknownUnit:       "enrollment.unit_unknown",
}

// Code returns the stable catalogue key of a domain error (looking through
// wrapping), or "" when err is not a domain error.
func Code(err error) string {
	var ie *IneligibleError
	if errors.As(err, &ie) {
		return ie.Code
	}
	for sentinel, code := range codes {
		if errors.Is(err, sentinel) {
			return code
		}
	}
	return ""
}

// IneligibleError says why a member may not join a plan. Code is one of the
// "enrollment.ineligible.*" catalogue keys.
type IneligibleError struct {
	MemberID string
	PlanID   string
	Code     string
}

// Error describes the refusal for logs.
func (e *IneligibleError) Error() string {
	return fmt.Sprintf("enrollment: member %s not eligible for plan %s: %s", e.MemberID, e.PlanID, e.Code)
}

// Unwrap makes errors.Is(err, ErrNotEligible) true.
func (e *IneligibleError) Unwrap() error { return ErrNotEligible }
