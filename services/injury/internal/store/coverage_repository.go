package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// CoverageCheck is a case whose coverage must be asked of enrollment.
type CoverageCheck struct {
	CaseID     string    `db:"id"`
	MemberID   string    `db:"member_id"`
	InjuryDate time.Time `db:"injury_date"`
	Attempts   int       `db:"coverage_attempts"`
}

// coverageLease is how long a claimed check is hidden from other replicas
// while one asks enrollment; a crashed worker's claim comes back after it.
const coverageLease = time.Minute

// ClaimCoverageChecks takes up to limit pending checks that are due, leasing
// them (FOR UPDATE SKIP LOCKED, then pushing their next attempt out by the
// lease) so replicas do not ask twice. No lock is held while enrollment is
// asked.
func (s *Store) ClaimCoverageChecks(ctx context.Context, limit int) ([]CoverageCheck, error) {
	var out []CoverageCheck
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.clk.Now().UTC()
		out = out[:0]
		// A lease need not survive a crash: lost, the checks are due again
		// and claimed again. So the claim does not wait for its WAL flush,
		// and a burst of filings pays one fsync per case (its opening), not
		// two.
		if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return fmt.Errorf("claim coverage checks: %w", err)
		}
		if err := sqlx.SelectContext(ctx, s.stmts.Tx(tx), &out, `UPDATE cases SET coverage_next_at = $1
			WHERE id IN (SELECT id FROM cases WHERE coverage_status = 'pending' AND member_id IS NOT NULL
				AND coverage_next_at <= $2 ORDER BY coverage_next_at LIMIT $3 FOR UPDATE SKIP LOCKED)
			RETURNING id, member_id, injury_date, coverage_attempts`, now.Add(coverageLease), now, limit); err != nil {
			return fmt.Errorf("claim coverage checks: %w", err)
		}
		return nil
	})
	for i := range out {
		d := out[i].InjuryDate
		out[i].InjuryDate = valDate(&d)
	}
	return out, err
}

// RecordCoverage stores the answer of enrollment, or the failure and the
// time of the next attempt. It does not bump the case's version: coverage is
// not something a caseworker edits, and a background answer must not make
// their next change fail with a version mismatch.
func (s *Store) RecordCoverage(ctx context.Context, caseID string, schemes []domain.SchemeCoverage, failure error) error {
	return pg.InTx(ctx, s.db, func(sqlTx *sqlx.Tx) error {
		// Every filing's coverage is recorded here: prepared statements.
		tx := s.stmts.Tx(sqlTx)
		var row caseRow
		if err := sqlx.GetContext(ctx, tx, &row, "SELECT "+caseSelectList+" FROM cases WHERE id = $1 FOR UPDATE", caseID); err != nil {
			return notFound(err, "record coverage")
		}
		c, err := row.toDomain()
		if err != nil {
			return err
		}
		if c.Coverage.Status != domain.CoveragePending {
			return nil // answered meanwhile, or the member changed
		}
		now := s.clk.Now().UTC()
		entry := timelineEntry{Kind: "coverage"}
		if failure != nil {
			c.Coverage.Failed(failure.Error(), now)
			if c.Coverage.Status != domain.CoverageAbandoned {
				entry.Kind = "" // retries are not worth a timeline line each
			}
		} else {
			c.Coverage.Covered(schemes, now)
		}
		entry.Data = map[string]any{"status": c.Coverage.Status, "schemes": c.Coverage.Schemes}
		cov, err := json.Marshal(nonNil(c.Coverage.Schemes))
		if err != nil {
			return fmt.Errorf("encode coverage: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET coverage_status = $2, coverage = $3, coverage_checked_at = $4,
			coverage_attempts = $5, coverage_next_at = $6, coverage_error = $7 WHERE id = $1`,
			caseID, string(c.Coverage.Status), cov, optTime(c.Coverage.CheckedAt), c.Coverage.Attempts,
			optTime(c.Coverage.NextAttemptAt), c.Coverage.LastError); err != nil {
			return fmt.Errorf("record coverage: %w", err)
		}
		if entry.Kind == "" {
			return nil
		}
		return addTimeline(ctx, tx, caseID, now, Meta{}, entry)
	})
}

func nonNil(s []domain.SchemeCoverage) []domain.SchemeCoverage {
	if s == nil {
		return []domain.SchemeCoverage{}
	}
	return s
}

// PendingCoverageChecks counts the cases whose coverage enrollment has not
// answered yet (the partial index cases_coverage_due_idx holds exactly
// them), for the coverage-checks-pending gauge.
func (s *Store) PendingCoverageChecks(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM cases WHERE coverage_status = 'pending'`)
	return n, err
}
