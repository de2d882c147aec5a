package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Attempt outcomes stored in login_attempts.reason.
const (
	ReasonNone      = ""          // success by password
	ReasonOIDC      = "oidc"      // success through the identity provider
	ReasonInvalid   = "invalid"   // wrong name or password, or disabled
	ReasonThrottled = "throttled" // refused before the password was checked
	ReasonDisabled  = "disabled"  // right password, disabled account
)

// Attempt is one sign-in attempt for the security log.
type Attempt struct {
	AccountKey string // domain.ThrottleKey of what was typed
	Address    string
	UserID     string // when the name belongs to a user
	Success    bool
	Reason     string
	At         time.Time
}

// RecordAttempt appends one attempt.
func (s *Store) RecordAttempt(ctx context.Context, a Attempt) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_attempts (account_key, address, user_id, success, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.AccountKey, a.Address, nullable(a.UserID), a.Success, a.Reason, a.At)
	if err != nil {
		return fmt.Errorf("record sign-in attempt: %w", err)
	}
	return nil
}

// FailureStats counts the failures that throttle a sign-in: for the
// account, failed attempts since its last success inside the window; for the
// address, all its failures inside the window (a success from the address
// must not wipe them, or an attacker with one account could reset the
// count). Attempts refused as throttled do not count, so hammering during a
// wait does not lengthen the real officer's wait.
func (s *Store) FailureStats(ctx context.Context, accountKey, address string, since time.Time) (account, addr domain.FailureStats, err error) {
	var row struct {
		AccountCount int          `db:"account_count"`
		AccountLast  sql.NullTime `db:"account_last"`
		AddressCount int          `db:"address_count"`
		AddressLast  sql.NullTime `db:"address_last"`
	}
	err = s.db.GetContext(ctx, &row, `
		WITH acc AS (
			SELECT count(*) AS n, max(at) AS last FROM login_attempts
			WHERE account_key = $1 AND reason IN ('invalid', 'disabled') AND at > $3
			  AND at > COALESCE((SELECT max(at) FROM login_attempts
			                      WHERE account_key = $1 AND success AND at > $3), '-infinity')
		), adr AS (
			SELECT count(*) AS n, max(at) AS last FROM login_attempts
			WHERE address = $2 AND reason IN ('invalid', 'disabled') AND at > $3
		)
		SELECT acc.n AS account_count, acc.last AS account_last, adr.n AS address_count, adr.last AS address_last
		FROM acc, adr`, accountKey, address, since)
	if err != nil {
		return account, addr, fmt.Errorf("count sign-in failures: %w", err)
	}
	account = domain.FailureStats{Count: row.AccountCount, Last: row.AccountLast.Time.UTC()}
	addr = domain.FailureStats{Count: row.AddressCount, Last: row.AddressLast.Time.UTC()}
	if !row.AccountLast.Valid {
		account.Last = time.Time{}
	}
	if !row.AddressLast.Valid {
		addr.Last = time.Time{}
	}
	return account, addr, nil
}
