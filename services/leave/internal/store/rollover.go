package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// RolloverBatch is how many members one rollover transaction closes.
const RolloverBatch = 5000

// RolloverReport sums up a year-end rollover run.
type RolloverReport struct {
	Year     int
	Members  int // closed by this run
	Skipped  int // closed before (the run is idempotent)
	Carried  int // days
	Expired  int // days
	Accrued  int // days of next year's entitlement
	Duration time.Duration
}

// Rollover closes year for every member not yet closed: carry-over of the
// recorded decisions, expiry of the rest, accrual of the next year. Members
// are processed in batches, each in its own transaction with the batch's
// member rows locked, so requests keep flowing and an interrupted run
// resumes where it stopped (year_closings is the idempotency key).
func (s *Store) Rollover(ctx context.Context, year int, actor string) (RolloverReport, error) {
	start := time.Now()
	rep := RolloverReport{Year: year}
	if !s.closable(year) {
		return rep, fielderr.Fail("year", domain.CodeOutOfRange, 2000, s.today().Year()-1)
	}
	if err := sqlx.GetContext(ctx, s.db, &rep.Skipped, `SELECT count(*) FROM year_closings WHERE year = $1`, year); err != nil {
		return rep, fmt.Errorf("rollover %d: closed members: %w", year, err)
	}
	var ids []string
	if err := sqlx.SelectContext(ctx, s.db, &ids, `SELECT member_id FROM members m
WHERE NOT EXISTS (SELECT 1 FROM year_closings c WHERE c.member_id = m.member_id AND c.year = $1) ORDER BY member_id`, year); err != nil {
		return rep, fmt.Errorf("rollover %d: list members: %w", year, err)
	}
	for len(ids) > 0 {
		n := min(len(ids), RolloverBatch)
		if err := s.inTx(ctx, func(tx *sqlx.Tx) error { return s.rolloverBatch(ctx, tx, year, ids[:n], actor, &rep) }); err != nil {
			return rep, fmt.Errorf("rollover %d: %w", year, err)
		}
		ids = ids[n:]
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		return s.audit(ctx, tx, actor, "leave.rollover.run", "leave_year", fmt.Sprint(year), nil,
			map[string]any{"members": rep.Members, "skipped": rep.Skipped, "carried": rep.Carried, "expired": rep.Expired, "accrued": rep.Accrued})
	})
	rep.Duration = time.Since(start)
	return rep, err
}

// closable reports whether year is over (Shanghai date), so it may be
// closed.
func (s *Store) closable(year int) bool { return year < s.today().Year() }

// RolloverState is how far the closing of a year has come, from
// year_closings and the member projection.
type RolloverState struct {
	Year int
	// Members is every member in the projection.
	Members int
	// Closed is the members with the year closed.
	Closed int
	// Carried and Expired are the days the closings carried into the next
	// year and let expire.
	Carried int
	Expired int
	// LastClosedAt is the latest closing; zero when none.
	LastClosedAt time.Time
	// Closable is true when the year is over: Rollover accepts it.
	Closable bool
}

// Open is the members not closed yet.
func (r RolloverState) Open() int { return max(r.Members-r.Closed, 0) }

// RolloverState reads the state of year's closing in one statement (one
// snapshot, so the counts and sums agree with each other).
func (s *Store) RolloverState(ctx context.Context, year int) (RolloverState, error) {
	var r struct {
		Members int          `db:"members"`
		Closed  int          `db:"closed"`
		Carried int          `db:"carried"`
		Expired int          `db:"expired"`
		Last    sql.NullTime `db:"last_closed_at"`
	}
	if err := sqlx.GetContext(ctx, s.db, &r, `SELECT (SELECT count(*) FROM members) AS members, count(*) AS closed,
	coalesce(sum(carried), 0) AS carried, coalesce(sum(expired), 0) AS expired, max(closed_at) AS last_closed_at
FROM year_closings WHERE year = $1`, year); err != nil {
		return RolloverState{}, fmt.Errorf("rollover state %d: %w", year, err)
	}
	out := RolloverState{Year: year, Members: r.Members, Closed: r.Closed, Carried: r.Carried, Expired: r.Expired, Closable: s.closable(year)}
	if r.Last.Valid {
		out.LastClosedAt = r.Last.Time.UTC()
	}
	return out, nil
}

func (s *Store) rolloverBatch(ctx context.Context, tx *sqlx.Tx, year int, ids []string, actor string, rep *RolloverReport) error {
	// The batch is a run of consecutive member ids, so every query reads
	// one index range instead of probing thousands of keys.
	lo, hi := ids[0], ids[len(ids)-1]
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, tx, &rows, `SELECT `+memberColumns+` FROM members m
WHERE member_id BETWEEN $1 AND $2 AND NOT EXISTS (SELECT 1 FROM year_closings c WHERE c.member_id = m.member_id AND c.year = $3)
ORDER BY member_id FOR UPDATE`, lo, hi, year); err != nil {
		return fmt.Errorf("lock members: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	entries, err := s.entriesBetween(ctx, tx, lo, hi, year)
	if err != nil {
		return err
	}
	locked := make([]string, len(rows))
	for i, r := range rows {
		locked[i] = r.MemberID
	}
	pend, err := s.pending(ctx, tx, locked, year)
	if err != nil {
		return err
	}
	decisions, err := s.carryOverDecisions(ctx, tx, locked, year)
	if err != nil {
		return err
	}
	abs, err := s.absencesOf(ctx, tx, locked, year)
	if err != nil {
		return err
	}
	byMember := make(map[string][]domain.LedgerEntry, len(rows))
	for _, e := range entries {
		byMember[e.MemberID] = append(byMember[e.MemberID], e)
	}
	now := s.clk.Now()
	var out []domain.LedgerEntry
	closings := struct{ ids, carried, expired []int64 }{}
	var closedIDs []string
	for _, r := range rows {
		in := domain.RolloverInput{Member: r.domain(), Year: year, Entries: byMember[r.MemberID], Pending: pend[r.MemberID], Absences: abs[r.MemberID]}
		if d, ok := decisions[r.MemberID]; ok {
			in.CarryOver = &d
		}
		res, err := domain.Rollover(s.policy, in, actor, now)
		if err != nil {
			return fmt.Errorf("member %s: %w", r.MemberID, err)
		}
		out = append(out, res.Entries...)
		closedIDs = append(closedIDs, r.MemberID)
		closings.carried = append(closings.carried, int64(res.Carried))
		closings.expired = append(closings.expired, int64(res.Expired))
		rep.Members++
		rep.Carried += res.Carried
		rep.Expired += res.Expired
		rep.Accrued += res.Entitlement.Days
	}
	if err := s.appendEntriesBulk(ctx, tx, out); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO year_closings (member_id, year, carried, expired, closed_at)
SELECT m, $2, c, e, $5 FROM unnest($1::text[], $3::int[], $4::int[]) AS t(m, c, e)`,
		pq.Array(closedIDs), year, pq.Array(closings.carried), pq.Array(closings.expired), now); err != nil {
		return fmt.Errorf("record closings: %w", err)
	}
	return nil
}

// entriesBetween loads the ledger of years year and year+1 for the member
// ids in [lo, hi].
func (s *Store) entriesBetween(ctx context.Context, q sqlx.QueryerContext, lo, hi string, year int) ([]domain.LedgerEntry, error) {
	var rows []ledgerRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT `+ledgerColumns+` FROM ledger_entries
WHERE member_id BETWEEN $1 AND $2 AND year IN ($3, $3 + 1)`, lo, hi, year); err != nil {
		return nil, fmt.Errorf("load ledger: %w", err)
	}
	out := make([]domain.LedgerEntry, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// appendEntriesBulk inserts many validated entries through arrays: one
// statement and one round trip for a whole rollover batch.
func (s *Store) appendEntriesBulk(ctx context.Context, tx *sqlx.Tx, entries []domain.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	members, kinds, days, reasons, by := make([]string, n), make([]string, n), make([]int64, n), make([]string, n), make([]string, n)
	years, dates := make([]int64, n), make([]string, n)
	var at time.Time
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("ledger entry for %s: %w", e.MemberID, err)
		}
		if e.RequestID != "" {
			return fmt.Errorf("bulk ledger entries carry no request (member %s)", e.MemberID)
		}
		members[i], kinds[i], days[i], reasons[i], by[i] = e.MemberID, string(e.Kind), int64(e.Days), e.Reason, e.CreatedBy
		years[i], dates[i], at = int64(e.Year), dateArg(e.EffectiveOn), e.CreatedAt
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_entries (member_id, year, kind, days, effective_on, reason, created_by, created_at)
SELECT m, y, k, d, e::date, r, b, $8 FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS t(m, y, k, d, e, r, b)`,
		pq.Array(members), pq.Array(years), pq.Array(kinds), pq.Array(days), pq.Array(dates), pq.Array(reasons), pq.Array(by), at); err != nil {
		return fmt.Errorf("append ledger entries: %w", err)
	}
	return nil
}

type carryRow struct {
	MemberID  string    `db:"member_id"`
	Year      int       `db:"year"`
	Days      int       `db:"days"`
	Reason    string    `db:"reason"`
	DecidedBy string    `db:"decided_by"`
	DecidedAt time.Time `db:"decided_at"`
}

func (s *Store) carryOverDecisions(ctx context.Context, q sqlx.QueryerContext, members []string, year int) (map[string]domain.CarryOverDecision, error) {
	var rows []carryRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT member_id, year, days, reason, decided_by, decided_at FROM carry_over_decisions
WHERE year = $1 AND member_id = ANY($2)`, year, pq.Array(members)); err != nil {
		return nil, fmt.Errorf("carry-over decisions: %w", err)
	}
	out := make(map[string]domain.CarryOverDecision, len(rows))
	for _, r := range rows {
		out[r.MemberID] = domain.CarryOverDecision{MemberID: r.MemberID, Year: r.Year, Days: r.Days, Reason: r.Reason, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt.UTC()}
	}
	return out, nil
}

func (s *Store) absencesOf(ctx context.Context, q sqlx.QueryerContext, members []string, year int) (map[string]domain.Absences, error) {
	var rows []struct {
		MemberID string `db:"member_id"`
		Personal int    `db:"personal_days"`
		Sick     int    `db:"sick_days"`
		First    bool   `db:"leave_taken_first"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT member_id, personal_days, sick_days, leave_taken_first FROM absences
WHERE year = $1 AND member_id = ANY($2)`, year, pq.Array(members)); err != nil {
		return nil, fmt.Errorf("absences: %w", err)
	}
	out := make(map[string]domain.Absences, len(rows))
	for _, r := range rows {
		out[r.MemberID] = domain.Absences{PersonalDays: r.Personal, SickDays: r.Sick, LeaveTakenFirst: r.First}
	}
	return out, nil
}

// DecideCarryOver records (or replaces, with the version read) the decision
// to carry days of year into the next. It is checked against the carryable
// days now and again at the rollover.
func (s *Store) DecideCarryOver(ctx context.Context, d domain.CarryOverDecision, version int64) (domain.CarryOverDecision, int64, error) {
	if err := d.Validate(); err != nil {
		return domain.CarryOverDecision{}, 0, err
	}
	var newVersion int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.member(ctx, tx, d.MemberID, true); err != nil {
			return err
		}
		var closed bool
		if err := sqlx.GetContext(ctx, tx, &closed, `SELECT EXISTS (SELECT 1 FROM year_closings WHERE member_id = $1 AND year = $2)`, d.MemberID, d.Year); err != nil {
			return fmt.Errorf("closing of %d: %w", d.Year, err)
		}
		if closed {
			return domain.Detail(domain.ErrRolloverYear, d.Year)
		}
		bal, _, err := s.balance(ctx, tx, d.MemberID, d.Year)
		if err != nil {
			return err
		}
		if limit := bal.Carryable(s.policy); d.Days > limit {
			return domain.Detail(domain.ErrCarryOverExceeded, d.Days, limit)
		}
		var current int64
		err = sqlx.GetContext(ctx, tx, &current, `SELECT version FROM carry_over_decisions WHERE member_id = $1 AND year = $2 FOR UPDATE`, d.MemberID, d.Year)
		switch {
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("lock carry-over: %w", err)
		case err == nil && current != version:
			return ErrVersionMismatch
		case err == nil:
			newVersion = current + 1
		case version != 0:
			return ErrVersionMismatch
		default:
			newVersion = 1
		}
		d.DecidedAt = s.clk.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO carry_over_decisions (member_id, year, days, reason, decided_by, decided_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (member_id, year) DO UPDATE SET days = EXCLUDED.days, reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by,
	decided_at = EXCLUDED.decided_at, version = EXCLUDED.version`,
			d.MemberID, d.Year, d.Days, d.Reason, d.DecidedBy, d.DecidedAt, newVersion); err != nil {
			return fmt.Errorf("record carry-over: %w", err)
		}
		return s.audit(ctx, tx, d.DecidedBy, "leave.carry_over.decide", "member", d.MemberID, nil,
			map[string]any{"year": d.Year, "days": d.Days, "reason": d.Reason})
	})
	return d, newVersion, err
}
