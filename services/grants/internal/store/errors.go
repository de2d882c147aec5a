package store

import "errors"

// Errors the repositories return besides the domain's.
var (
	// ErrNotFound: no such object (or, to the HTTP layer, one the caller may not see).
	ErrNotFound = errors.New("grants store: not found")
	// ErrVersionMismatch: the If-Match version is not the current one.
	ErrVersionMismatch = errors.New("grants store: version mismatch")
	// ErrFundExists: a fund for the fiscal year already exists.
	ErrFundExists = errors.New("grants store: fund exists")
	// ErrProgramExists: a program with the code already exists in the fund.
	ErrProgramExists = errors.New("grants store: program exists")
	// ErrExportNotReady: the export job has not finished.
	ErrExportNotReady = errors.New("grants store: export not ready")
)
