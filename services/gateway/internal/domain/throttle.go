package domain

import "time"

// FailureStats summarises the failed sign-ins of one key (an account name or
// an address) inside the policy's window, counted since the key's last
// successful sign-in. The store computes it from login_attempts.
type FailureStats struct {
	Count int
	Last  time.Time // time of the latest failure; zero when Count is 0
}

// ThrottlePolicy slows password guessing without letting an attacker lock a
// real officer out for long. Failures are counted per account name (whether
// or not the account exists, so throttling tells nothing) and per client
// address. Past the free failures every further one doubles the wait, up to
// MaxDelay.
type ThrottlePolicy struct {
	// Window is how far back failures count. Default 1 hour.
	Window time.Duration
	// AccountFree is how many failures of one account name pass without
	// delay. Default 5.
	AccountFree int
	// AddressFree is how many failures from one address pass without delay.
	// Default 30: a whole police station may sit behind one NAT address, so
	// this is deliberately looser than the account limit.
	AddressFree int
	// BaseDelay is the wait after the first failure past the free ones.
	// Default 30 seconds.
	BaseDelay time.Duration
	// MaxDelay caps the wait. Default 15 minutes.
	MaxDelay time.Duration
}

// DefaultThrottle is the policy the gateway runs with unless configured.
var DefaultThrottle = ThrottlePolicy{
	Window:      time.Hour,
	AccountFree: 5,
	AddressFree: 30,
	BaseDelay:   30 * time.Second,
	MaxDelay:    15 * time.Minute,
}

// Since is the start of the window at now: the store counts failures after it.
func (p ThrottlePolicy) Since(now time.Time) time.Time { return now.Add(-p.Window) }

// Check decides whether a sign-in may be tried at now, given the failures of
// the account name and of the address. It returns nil or a *ThrottledError
// with the later of the two retry times. It is checked before the password
// is, so a throttled guess learns nothing even when it is right.
func (p ThrottlePolicy) Check(now time.Time, account, address FailureStats) error {
	retry := p.retryAt(account, p.AccountFree)
	if a := p.retryAt(address, p.AddressFree); a.After(retry) {
		retry = a
	}
	if !now.Before(retry) {
		return nil
	}
	return &ThrottledError{RetryAt: retry, Wait: retry.Sub(now)}
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
