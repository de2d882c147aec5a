package bus

import (
	"errors"
	"fmt"
)

// Sentinel errors of the bus.
var (
	// ErrUnreachable wraps a failure to reach NATS at start.
	ErrUnreachable = errors.New("nats unreachable")
	// ErrBadEnvelope marks a message that is not an Anxin event envelope.
	ErrBadEnvelope = errors.New("bus: malformed event envelope")
	// ErrNotFound is returned for an unknown dead letter.
	ErrNotFound = errors.New("bus: not found")
)

// permanentError marks a handler failure that no retry can mend.
type permanentError struct{ err error }

func (p permanentError) Error() string { return fmt.Sprintf("permanent: %v", p.err) }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err so the consumer sends the message straight to dead
// letters instead of retrying it (a payload that can never be applied).
func Permanent(err error) error { return permanentError{err: err} }

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// RemoteError is a failed request-reply call: the service answered with an
// error code and description (see Serve).
type RemoteError struct {
	Code        string
	Description string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("remote error %s: %s", e.Code, e.Description)
}
