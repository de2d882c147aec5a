package domain

import (
	"errors"
	"time"
)

// State is where a delivery is.
type State string

// The delivery states (see the deliveries table for the moves).
const (
	StatePending State = "pending"
	StateSending State = "sending"
	StateSent    State = "sent"
	StateDead    State = "dead"
	StateUnknown State = "unknown"
)

// MaxAttempts is how many calls a delivery gets before it is dead.
const MaxAttempts = 5

// Lease is how long a claimed delivery may stay "sending" before it is
// taken for the work of a process that died.
const Lease = 2 * time.Minute

// Backoff is the wait after the n-th failed attempt (1-based).
func Backoff(n int) time.Duration {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}
	if n < 1 {
		n = 1
	}
	if n > len(steps) {
		n = len(steps)
	}
	return steps[n-1]
}

// The ways an adapter call can fail. Adapters wrap one of these.
var (
	// ErrNotSent: the call certainly delivered nothing (connection refused,
	// a refusal before the message was handed over, a 5xx). Retried.
	ErrNotSent = errors.New("not sent")
	// ErrRejected: the receiver refused the message for good (a bad
	// address, a 4xx). Not retried.
	ErrRejected = errors.New("rejected")
	// ErrUnknownOutcome: the message may have arrived (a timeout after it
	// was handed over). Resent automatically only when the receiver
	// honours the delivery's idempotency key.
	ErrUnknownOutcome = errors.New("outcome unknown")
)

// Outcome is what a finished attempt means for the delivery.
type Outcome struct {
	State  State
	NextAt time.Time
}

// After decides a delivery's next state after its attempts-th call ended
// with err at now. idempotent says whether the channel's receiver honours
// the delivery's key, so that a call with an unknown outcome may be
// repeated without a second message.
func After(err error, attempts int, idempotent bool, now time.Time) Outcome {
	switch {
	case err == nil:
		return Outcome{State: StateSent}
	case errors.Is(err, ErrRejected):
		return Outcome{State: StateDead}
	case errors.Is(err, ErrUnknownOutcome) && !idempotent:
		return Outcome{State: StateUnknown}
	case attempts >= MaxAttempts:
		return Outcome{State: StateDead}
	}
	return Outcome{State: StatePending, NextAt: now.Add(Backoff(attempts))}
}

// AfterLapse is the state of a delivery whose lease ran out during its
// attempts-th call: its process died between claiming it and recording
// the call. Nobody knows whether the message went, so only an idempotent
// channel is tried again, and only while it has attempts left (as After
// would decide for an unknown outcome).
func AfterLapse(idempotent bool, attempts int) State {
	switch {
	case !idempotent:
		return StateUnknown
	case attempts >= MaxAttempts:
		return StateDead
	}
	return StatePending
}
