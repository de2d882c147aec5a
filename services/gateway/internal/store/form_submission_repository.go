package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
)

// SubmissionState is what ClaimSubmission found.
type SubmissionState int

// Outcomes of ClaimSubmission.
const (
	// SubmissionNew: the token is now this request's; run the form.
	SubmissionNew SubmissionState = iota
	// SubmissionDone: an earlier submission of the token changed
	// something; Location is where it went.
	SubmissionDone
	// SubmissionRunning: an earlier submission is still running.
	SubmissionRunning
)

// Submission is the stored state of a one-time form token.
type Submission struct {
	State    SubmissionState
	Path     string
	Location string
}

// ClaimSubmission takes a form's one-time token for userID at now, or
// reports what became of it. A running claim older than lease is taken
// over: the gateway process that held it died (the services' idempotency
// keys, derived from the token, keep the retried calls from doing their
// work twice).
func (s *Store) ClaimSubmission(ctx context.Context, userID, token, path string, now time.Time, lease time.Duration) (Submission, error) {
	var out Submission
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO form_submissions (user_id, token, path, state, lease_until, created_at)
			VALUES ($1, $2, $3, 'in_flight', $4, $5) ON CONFLICT (user_id, token) DO NOTHING`, userID, token, path, now.Add(lease), now)
		if err != nil {
			return fmt.Errorf("claim form submission: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 1 {
			out = Submission{State: SubmissionNew, Path: path}
			return nil
		}
		var row struct {
			State      string    `db:"state"`
			Path       string    `db:"path"`
			Location   string    `db:"location"`
			LeaseUntil time.Time `db:"lease_until"`
		}
		if err := tx.GetContext(ctx, &row, `SELECT state, path, location, lease_until FROM form_submissions
			WHERE user_id = $1 AND token = $2 FOR UPDATE`, userID, token); err != nil {
			return fmt.Errorf("read form submission: %w", err)
		}
		switch {
		case row.State == "done":
			out = Submission{State: SubmissionDone, Path: row.Path, Location: row.Location}
		case row.LeaseUntil.After(now):
			out = Submission{State: SubmissionRunning, Path: row.Path}
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE form_submissions SET lease_until = $3 WHERE user_id = $1 AND token = $2`,
				userID, token, now.Add(lease)); err != nil {
				return fmt.Errorf("take over form submission: %w", err)
			}
			out = Submission{State: SubmissionNew, Path: row.Path}
		}
		return nil
	})
	return out, err
}

// CompleteSubmission marks a token spent, with where its submission went
// ("" when it showed a page rather than redirecting).
func (s *Store) CompleteSubmission(ctx context.Context, userID, token, location string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE form_submissions SET state = 'done', location = $3
		WHERE user_id = $1 AND token = $2`, userID, token, location); err != nil {
		return fmt.Errorf("complete form submission: %w", err)
	}
	return nil
}

// ReleaseSubmission gives a token back after a submission that changed
// nothing (the form came back with errors), so it can be sent again.
func (s *Store) ReleaseSubmission(ctx context.Context, userID, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM form_submissions WHERE user_id = $1 AND token = $2 AND state = 'in_flight'`,
		userID, token); err != nil {
		return fmt.Errorf("release form submission: %w", err)
	}
	return nil
}

// PruneSubmissions deletes the tokens claimed before before.
func (s *Store) PruneSubmissions(ctx context.Context, before time.Time) (int64, error) {
	r, err := s.db.ExecContext(ctx, `DELETE FROM form_submissions WHERE created_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("prune form submissions: %w", err)
	}
	return r.RowsAffected()
}
