package store

import (
	"errors"
	"fmt"
)

// Errors of the store; the domain's errors pass through wrapped.
var (
	// ErrNotFound is returned for an id that does not exist or that the
	// caller's scope does not include (they are indistinguishable on
	// purpose).
	ErrNotFound = errors.New("enrollment store: not found")
	// ErrPlanNotFound is ErrNotFound for the plan a change names; the
	// commands say which field named it.
	ErrPlanNotFound = fmt.Errorf("%w: plan", ErrNotFound)
	// ErrParentNotFound is ErrNotFound for the parent a new unit names.
	ErrParentNotFound = fmt.Errorf("%w: parent unit", ErrNotFound)
	// ErrUnitNotManaged is returned for a unit that does not exist or
	// that the caller's scope does not include, where a change names one;
	// the commands say which field named it.
	ErrUnitNotManaged = errors.New("enrollment store: unit unknown or not managed")
	// ErrNextPlanNotFound is ErrPlanNotFound for the plan a renewal renews
	// into.
	ErrNextPlanNotFound = fmt.Errorf("%w: next plan", ErrPlanNotFound)
	// ErrVersionMismatch is returned when the caller's If-Match version is
	// no longer the aggregate's version.
	ErrVersionMismatch = errors.New("enrollment store: version mismatch")
	// ErrDuplicateMember is returned when a member with the same identity
	// number is already registered.
	ErrDuplicateMember = errors.New("enrollment store: identity number already registered")
	// ErrDuplicatePlan is returned for a second plan of one scheme, year and
	// name.
	ErrDuplicatePlan = errors.New("enrollment store: duplicate plan")
	// ErrDuplicateUnit is returned for a second unit with one code.
	ErrDuplicateUnit = errors.New("enrollment store: duplicate unit code")
)

// UnitNotManagedError is ErrUnitNotManaged for the unit at Index of a
// list of units.
type UnitNotManagedError struct{ Index int }

func (e *UnitNotManagedError) Error() string {
	return fmt.Sprintf("unit %d of the list: %v", e.Index, ErrUnitNotManaged)
}

// Unwrap makes the error ErrUnitNotManaged.
func (e *UnitNotManagedError) Unwrap() error { return ErrUnitNotManaged }
