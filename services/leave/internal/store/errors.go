package store

import (
	"errors"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Errors the store returns besides the domain's rule violations.
var (
	// ErrNotFound is returned for an object that does not exist. The HTTP
	// layer answers it, and an object the caller may not see, with 404.
	ErrNotFound = domain.ErrNotFound
	// ErrVersionMismatch means the If-Match version is not the current one:
	// someone changed the object since the client read it (409).
	ErrVersionMismatch = errors.New("store: version mismatch")
)
