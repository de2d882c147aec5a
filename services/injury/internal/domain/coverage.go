package domain

import "time"

// CoverageStatus is where the coverage check with enrollment stands.
type CoverageStatus string

// Coverage statuses. A case opens even when enrollment cannot answer; the
// check then stays pending and is retried with back-off.
const (
	CoveragePending   CoverageStatus = "pending"
	CoverageChecked   CoverageStatus = "checked"
	CoverageNoMember  CoverageStatus = "no_member" // the injured person is not identified yet
	CoverageAbandoned CoverageStatus = "abandoned" // retries exhausted; a caseworker checks by hand
)

// SchemeCoverage is one insurance scheme that covered the member on the
// injury date, as enrollment reported it.
type SchemeCoverage struct {
	Scheme string    `json:"scheme"`
	Plan   string    `json:"plan"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to,omitzero"`
}

// Coverage is what enrollment said about the member on the injury date.
type Coverage struct {
	Status        CoverageStatus
	Schemes       []SchemeCoverage
	CheckedAt     time.Time
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
}

// Coverage retry back-off: 30 s doubling to at most 1 h, giving up after
// MaxCoverageAttempts (about two days) so the queue shows it needs a human.
const (
	coverageFirstRetry  = 30 * time.Second
	coverageMaxRetry    = time.Hour
	MaxCoverageAttempts = 60
)

// Covered records a successful answer.
func (c *Coverage) Covered(schemes []SchemeCoverage, now time.Time) {
	*c = Coverage{Status: CoverageChecked, Schemes: schemes, CheckedAt: now.UTC(), Attempts: c.Attempts + 1}
}

// Failed records a failed attempt and schedules the next one with
// exponential back-off; after MaxCoverageAttempts the check is abandoned.
func (c *Coverage) Failed(reason string, now time.Time) {
	c.Attempts++
	c.LastError = reason
	if c.Attempts >= MaxCoverageAttempts {
		c.Status = CoverageAbandoned
		c.NextAttemptAt = time.Time{}
		return
	}
	c.Status = CoveragePending
	c.NextAttemptAt = now.UTC().Add(CoverageBackoff(c.Attempts))
}

// CoverageBackoff is the wait after the n-th failed attempt (n ≥ 1).
func CoverageBackoff(n int) time.Duration {
	d := coverageFirstRetry
	for i := 1; i < n && d < coverageMaxRetry; i++ {
		d *= 2
	}
	return min(d, coverageMaxRetry)
}
