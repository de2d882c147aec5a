package domain

import "time"

// FailureStats summarises failed sign-ins inside the policy's window. The
// store computes it from login_attempts.
type FailureStats struct {
	Count int
	Last  time.Time // time of the latest failure; zero when Count is 0
}

// ThrottleStats are the three counts a sign-in is judged on.
type ThrottleStats struct {
	// Pair: failures of this account name from this address since the
	// pair's last success (or an administrator's lift).
	Pair FailureStats
	// Address: failures from this address for any account name.
	Address FailureStats
	// Account: failures of this account name from any address since the
	// account's last success.
	Account FailureStats
}

// ThrottlePolicy slows password guessing without ever locking a real
// officer out (OWASP ASVS 5.0 chapter 6: no lockout an attacker can hold).
//
// The rule, exactly:
//
//  1. A sign-in from an address that has not failed for this account name
//     since the pair's last success is never delayed: the password is
//     checked. So an attacker hammering a name from one address, however
//     hard, cannot stop its owner signing in from another address, and a
//     busy address (a police station behind one NAT) never refuses a
//     colleague's first try.
//  2. Once the pair (account name, address) has failed, its attempts wait
//     for the latest of three delays, each BaseDelay doubled per failure
//     past its free allowance and capped at MaxDelay:
//     - the pair's own, past PairFree failures;
//     - the address's, past AddressFree failures from it for any name (one
//     address spraying many names slows all its failing pairs);
//     - the account's, past AccountFree failures from all addresses (many
//     addresses guessing one name slow each guessing pair).
//  3. A delayed attempt is refused before the password is checked (so a
//     delayed guess learns nothing) and is not counted as a failure, so
//     hammering during a wait does not lengthen it. After the wait the
//     right password works.
//
// The wait is a delay, never a lock: at most MaxDelay after the last
// counted failure, and an administrator can lift it at once.
type ThrottlePolicy struct {
	// Window is how far back failures count. Default 1 hour.
	Window time.Duration
	// PairFree is how many failures of one account name from one address
	// pass without delay. Default 5.
	PairFree int
	// AddressFree is how many failures from one address (any name) pass
	// before its failing pairs are slowed. Default 30: a whole police
	// station may sit behind one NAT address.
	AddressFree int
	// AccountFree is how many failures of one name (any address) pass
	// before its failing pairs are slowed. Default 20.
	AccountFree int
	// BaseDelay is the wait after the first failure past the free ones.
	// Default 30 seconds.
	BaseDelay time.Duration
	// MaxDelay caps the wait. Default 15 minutes.
	MaxDelay time.Duration
}

// DefaultThrottle is the policy the gateway runs with unless configured.
var DefaultThrottle = ThrottlePolicy{
	Window:      time.Hour,
	PairFree:    5,
	AddressFree: 30,
	AccountFree: 20,
	BaseDelay:   30 * time.Second,
	MaxDelay:    15 * time.Minute,
}

// Since is the start of the window at now: the store counts failures after it.
func (p ThrottlePolicy) Since(now time.Time) time.Time { return now.Add(-p.Window) }

// Check decides whether a sign-in may be tried at now. It returns nil or a
// *ThrottledError with the retry time. It is checked before the password.
func (p ThrottlePolicy) Check(now time.Time, s ThrottleStats) error {
	retry := p.RetryAt(s)
	if !now.Before(retry) {
		return nil
	}
	return &ThrottledError{RetryAt: retry, Wait: retry.Sub(now)}
}

// RetryAt is when the pair may try again: zero when it need not wait.
func (p ThrottlePolicy) RetryAt(s ThrottleStats) time.Time {
	if s.Pair.Count == 0 {
		return time.Time{} // rule 1: an address that has not failed this name
	}
	retry := p.retryAt(s.Pair, p.PairFree)
	for _, r := range []time.Time{p.retryAt(s.Address, p.AddressFree), p.retryAt(s.Account, p.AccountFree)} {
		if r.After(retry) {
			retry = r
		}
	}
	return retry
}

// retryAt is when the next attempt is allowed after s, with free failures
// allowed: zero when there is no wait.
func (p ThrottlePolicy) retryAt(s FailureStats, free int) time.Time {
	if s.Count < free || s.Last.IsZero() {
		return time.Time{}
	}
	return s.Last.Add(p.delay(s.Count - free))
}

// delay is BaseDelay doubled n times, capped at MaxDelay.
func (p ThrottlePolicy) delay(n int) time.Duration {
	d := p.BaseDelay
	for i := 0; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// Throttle is one (account name, address) pair with failures, for the
// administrators' page.
type Throttle struct {
	AccountKey string
	Address    string
	UserID     string // when the name belongs to a user
	Stats      ThrottleStats
	RetryAt    time.Time // zero: not waiting now
}

// FailureNotice tells a person about failed sign-ins to their account
// since their previous sign-in.
type FailureNotice struct {
	Count       int
	LastAddress string
	LastAt      time.Time
	FirstAt     time.Time
	Addresses   int // distinct addresses the failures came from
}

// OwnTypos is how recent failures from the address a person then signs in
// from must be for the sign-in to treat them as that person's own typing.
const OwnTypos = 15 * time.Minute

// Interrupts reports whether a sign-in from address at now should stop on
// the account page to tell of these failures: always, unless they are all
// from that address within OwnTypos (the person mistyping just now). The
// account page shows them either way.
func (n FailureNotice) Interrupts(address string, now time.Time) bool {
	if n.Count == 0 {
		return false
	}
	return n.Addresses != 1 || n.LastAddress != address || now.Sub(n.FirstAt) > OwnTypos
}
