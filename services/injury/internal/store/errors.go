package store

import (
	"errors"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Errors the repositories return besides the domain's.
var (
	// ErrNotFound is domain.ErrNotFound: the object does not exist, or the
	// caller may not see it.
	ErrNotFound = domain.ErrNotFound
	// ErrVersionMismatch means the If-Match version is not the current one.
	ErrVersionMismatch = errors.New("injury store: version mismatch")
	// ErrIncidentUnit means a case was added to an incident of another unit.
	ErrIncidentUnit = errors.New("injury store: incident belongs to another unit")
)
