package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/audit"
	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/pg"

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

// RecordAttempt appends one attempt. A wrong password for an account that
// brings its failures since its last success (within the hour) to one of
// SignInAlertAt also puts account.sign_in_failures in the outbox, in the
// same transaction, so the notify service tells the account's owner.
func (s *Store) RecordAttempt(ctx context.Context, a Attempt) error {
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (account_key, address, user_id, success, reason, at)
			VALUES ($1, $2, $3, $4, $5, $6)`, a.AccountKey, a.Address, nullable(a.UserID), a.Success, a.Reason, a.At); err != nil {
			return err
		}
		if a.Success || a.UserID == "" || a.Reason != ReasonInvalid {
			return nil
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM login_attempts
			WHERE account_key = $1 AND at > $2 AND reason = 'invalid'
			  AND at > COALESCE((SELECT max(at) FROM login_attempts WHERE account_key = $1 AND success), '-infinity')`,
			a.AccountKey, a.At.Add(-time.Hour)); err != nil {
			return err
		}
		if !slices.Contains(SignInAlertAt, n) {
			return nil
		}
		ev, err := bus.NewEvent("gateway", TypeSignInFailures, 1, a.UserID, int64(n), SignInFailures{UserID: a.UserID, Failures: n, At: a.At.UTC()}, a.At)
		if err != nil {
			return err
		}
		return bus.Outbox(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("record sign-in attempt: %w", err)
	}
	return nil
}

// SignInAlertAt are the counts of failed sign-ins (since the account's last
// success, within an hour) at which its owner is told.
var SignInAlertAt = []int{5, 20}

// TypeSignInFailures is the gateway's event of repeated failed sign-ins on
// an account (api/events/gateway.account.sign_in_failures.v1.json).
const TypeSignInFailures = "account.sign_in_failures"

// SignInFailures is its payload: no address and no name typed, only whose
// account and how many.
type SignInFailures struct {
	UserID   string    `json:"user_id"`
	Failures int       `json:"failures"`
	At       time.Time `json:"at"`
}

// pairSince is the SQL start of a pair's count: its last success or
// lift, whichever is later ($1 account key, $2 address).
const pairSince = `GREATEST(
	COALESCE((SELECT max(at) FROM login_attempts WHERE account_key = $1 AND address = $2 AND success), '-infinity'),
	COALESCE((SELECT max(lifted_at) FROM sign_in_throttle_lifts WHERE account_key = $1 AND address = $2), '-infinity'))`

// ThrottleStats counts the failures a sign-in is judged on
// (domain.ThrottlePolicy): of the pair since its last success or lift, of
// the address (a success from it must not wipe them, or an attacker with
// one account could reset the count), and of the account since its last
// success. Attempts refused as throttled do not count, so hammering during
// a wait does not lengthen anyone's wait.
func (s *Store) ThrottleStats(ctx context.Context, accountKey, address string, since time.Time) (domain.ThrottleStats, error) {
	var row struct {
		PairCount    int          `db:"pair_count"`
		PairLast     sql.NullTime `db:"pair_last"`
		AccountCount int          `db:"account_count"`
		AccountLast  sql.NullTime `db:"account_last"`
		AddressCount int          `db:"address_count"`
		AddressLast  sql.NullTime `db:"address_last"`
	}
	err := s.db.GetContext(ctx, &row, `
		WITH pair AS (
			SELECT count(*) AS n, max(at) AS last FROM login_attempts
			WHERE account_key = $1 AND address = $2 AND reason IN ('invalid', 'disabled') AND at > $3
			  AND at > `+pairSince+`
		), acc AS (
			SELECT count(*) AS n, max(at) AS last FROM login_attempts
			WHERE account_key = $1 AND reason IN ('invalid', 'disabled') AND at > $3
			  AND at > COALESCE((SELECT max(at) FROM login_attempts
			                      WHERE account_key = $1 AND success AND at > $3), '-infinity')
		), adr AS (
			SELECT count(*) AS n, max(at) AS last FROM login_attempts
			WHERE address = $2 AND reason IN ('invalid', 'disabled') AND at > $3
		)
		SELECT pair.n AS pair_count, pair.last AS pair_last, acc.n AS account_count, acc.last AS account_last,
		       adr.n AS address_count, adr.last AS address_last
		FROM pair, acc, adr`, accountKey, address, since)
	if err != nil {
		return domain.ThrottleStats{}, fmt.Errorf("count sign-in failures: %w", err)
	}
	stats := func(n int, last sql.NullTime) domain.FailureStats {
		if !last.Valid {
			return domain.FailureStats{Count: n}
		}
		return domain.FailureStats{Count: n, Last: last.Time.UTC()}
	}
	return domain.ThrottleStats{
		Pair:    stats(row.PairCount, row.PairLast),
		Account: stats(row.AccountCount, row.AccountLast),
		Address: stats(row.AddressCount, row.AddressLast),
	}, nil
}

// PairFailedSince reports whether the pair (account name, address) has a
// counted failure after since: the one indexed look-up a caller makes
// before ThrottleStats, which an attempt whose pair never failed does not
// need (domain.ThrottlePolicy, rule 1). API tokens ask it on every request.
func (s *Store) PairFailedSince(ctx context.Context, accountKey, address string, since time.Time) (bool, error) {
	var failed bool
	err := s.db.GetContext(ctx, &failed, `SELECT EXISTS (SELECT 1 FROM login_attempts
		WHERE account_key = $1 AND address = $2 AND at > $3 AND reason IN ('invalid', 'disabled'))`, accountKey, address, since)
	if err != nil {
		return false, fmt.Errorf("look up sign-in failures: %w", err)
	}
	return failed, nil
}

// ThrottlePair is one (account name, address) pair that failed inside the
// window since its last success or lift.
type ThrottlePair struct {
	AccountKey string    `db:"account_key"`
	Address    string    `db:"address"`
	UserID     string    `db:"user_id"`
	Last       time.Time `db:"last"`
}

// FailingPairs lists the pairs with failures after since and after their
// last success or lift, the most recent first, at most limit of them.
func (s *Store) FailingPairs(ctx context.Context, since time.Time, limit int) ([]ThrottlePair, error) {
	var out []ThrottlePair
	err := s.db.SelectContext(ctx, &out, `
		SELECT a.account_key, a.address, COALESCE(max(a.user_id::text), '') AS user_id, max(a.at) AS last
		FROM login_attempts a
		WHERE a.reason IN ('invalid', 'disabled') AND a.at > $1
		  AND a.at > COALESCE((SELECT max(s.at) FROM login_attempts s
		                       WHERE s.account_key = a.account_key AND s.address = a.address AND s.success), '-infinity')
		  AND a.at > COALESCE((SELECT max(l.lifted_at) FROM sign_in_throttle_lifts l
		                       WHERE l.account_key = a.account_key AND l.address = a.address), '-infinity')
		GROUP BY a.account_key, a.address
		ORDER BY last DESC, a.account_key, a.address
		LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("list failing sign-in pairs: %w", err)
	}
	for i := range out {
		out[i].Last = out[i].Last.UTC()
	}
	return out, nil
}

// LiftThrottle forgets the failures of one pair so far, and audits it.
func (s *Store) LiftThrottle(ctx context.Context, accountKey, address string, at time.Time, by Actor) error {
	return pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_throttle_lifts (account_key, address, lifted_at, lifted_by)
			VALUES ($1, $2, $3, $4)`, accountKey, address, at, actorID(by)); err != nil {
			return fmt.Errorf("lift sign-in throttle: %w", err)
		}
		return audit.Write(ctx, tx, s.clk, audit.Entry{
			Actor: actorID(by), Action: "sign_in_throttle.lift", ObjectType: "sign_in_throttle", ObjectID: accountKey + "@" + address,
			After: map[string]string{"account": accountKey, "address": address}, RequestID: by.RequestID,
		})
	})
}

// FailureNotice summarises the failed attempts (wrong password, disabled,
// or refused as throttled) on an account name since its skip+1-th latest
// successful sign-in: skip 0 before the current sign-in is recorded, 1
// once it is.
func (s *Store) FailureNotice(ctx context.Context, accountKey string, skip int) (domain.FailureNotice, error) {
	var row struct {
		N         int            `db:"n"`
		Last      sql.NullTime   `db:"last"`
		First     sql.NullTime   `db:"first"`
		Addresses int            `db:"addresses"`
		Address   sql.NullString `db:"address"`
	}
	err := s.db.GetContext(ctx, &row, `
		WITH since AS (
			SELECT COALESCE((SELECT at FROM login_attempts WHERE account_key = $1 AND success
			                 ORDER BY at DESC OFFSET $2 LIMIT 1), '-infinity') AS from_at
		), f AS (
			SELECT la.at, la.address FROM login_attempts la, since
			WHERE la.account_key = $1 AND NOT la.success AND la.at > since.from_at
		)
		SELECT (SELECT count(*) FROM f) AS n, (SELECT max(at) FROM f) AS last, (SELECT min(at) FROM f) AS first,
		       (SELECT count(DISTINCT address) FROM f) AS addresses,
		       (SELECT address FROM f ORDER BY at DESC LIMIT 1) AS address`, accountKey, skip)
	if err != nil {
		return domain.FailureNotice{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	n := domain.FailureNotice{Count: row.N, LastAddress: row.Address.String, Addresses: row.Addresses}
	if row.Last.Valid {
		n.LastAt, n.FirstAt = row.Last.Time.UTC(), row.First.Time.UTC()
	}
	return n, nil
}
