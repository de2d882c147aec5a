package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

type ledgerRow struct {
	ID          int64          `db:"id"`
	MemberID    string         `db:"member_id"`
	Year        int            `db:"year"`
	Kind        string         `db:"kind"`
	Days        int            `db:"days"`
	EffectiveOn time.Time      `db:"effective_on"`
	Reason      string         `db:"reason"`
	RequestID   sql.NullString `db:"request_id"`
	CreatedBy   string         `db:"created_by"`
	CreatedAt   time.Time      `db:"created_at"`
}

const ledgerColumns = `id, member_id, year, kind, days, effective_on, reason, request_id::text AS request_id, created_by, created_at`

func (r ledgerRow) domain() domain.LedgerEntry {
	return domain.LedgerEntry{
		ID: r.ID, MemberID: r.MemberID, Year: r.Year, Kind: domain.EntryKind(r.Kind), Days: r.Days,
		EffectiveOn: asDate(r.EffectiveOn), Reason: r.Reason, RequestID: r.RequestID.String,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
	}
}

// entries loads the ledger of members (all when nil) for years.
func (s *Store) entries(ctx context.Context, q sqlx.QueryerContext, members []string, years ...int) ([]domain.LedgerEntry, error) {
	query := `SELECT ` + ledgerColumns + ` FROM ledger_entries WHERE year = ANY($1)`
	args := []any{pq.Array(years)}
	if members != nil {
		query += ` AND member_id = ANY($2)`
		args = append(args, pq.Array(members))
	}
	query += ` ORDER BY id`
	var rows []ledgerRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("load ledger: %w", err)
	}
	out := make([]domain.LedgerEntry, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// pending sums the working days of members' requests awaiting approval in
// year, by member.
func (s *Store) pending(ctx context.Context, q sqlx.QueryerContext, members []string, year int) (map[string]int, error) {
	query := `SELECT member_id, COALESCE(sum(days), 0) AS days FROM leave_requests
WHERE status IN ('pending', 'pending_second') AND extract(year FROM from_date) = $1`
	args := []any{year}
	if members != nil {
		query += ` AND member_id = ANY($2)`
		args = append(args, pq.Array(members))
	}
	query += ` GROUP BY member_id`
	var rows []struct {
		MemberID string `db:"member_id"`
		Days     int    `db:"days"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("pending days: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.MemberID] = r.Days
	}
	return out, nil
}

// balance is THE way a balance is read: the member's ledger for the year
// through domain.ComputeBalance on BalanceDate(year, today). Every screen,
// report and export goes through it or through balances (the same
// computation for many members).
func (s *Store) balance(ctx context.Context, q sqlx.QueryerContext, memberID string, year int) (domain.Balance, []domain.LedgerEntry, error) {
	bs, entries, err := s.balances(ctx, q, []string{memberID}, year)
	if err != nil {
		return domain.Balance{}, nil, err
	}
	return bs[memberID], entries, nil
}

// balances computes the balances of many members (all when nil) exactly as
// balance does, in two queries.
func (s *Store) balances(ctx context.Context, q sqlx.QueryerContext, members []string, year int) (map[string]domain.Balance, []domain.LedgerEntry, error) {
	entries, err := s.entries(ctx, q, members, year)
	if err != nil {
		return nil, nil, err
	}
	pend, err := s.pending(ctx, q, members, year)
	if err != nil {
		return nil, nil, err
	}
	asOf := domain.BalanceDate(year, s.today())
	byMember := map[string][]domain.LedgerEntry{}
	for _, e := range entries {
		byMember[e.MemberID] = append(byMember[e.MemberID], e)
	}
	ids := members
	if ids == nil {
		for id := range byMember {
			ids = append(ids, id)
		}
		for id := range pend {
			if _, ok := byMember[id]; !ok {
				ids = append(ids, id)
			}
		}
	}
	projected, err := s.projections(ctx, q, members, year, byMember)
	if err != nil {
		return nil, nil, err
	}
	if members == nil {
		for id := range projected {
			if _, ok := byMember[id]; !ok {
				if _, ok := pend[id]; !ok {
					ids = append(ids, id)
				}
			}
		}
	}
	out := make(map[string]domain.Balance, len(ids))
	for _, id := range ids {
		mine := byMember[id]
		p, ok := projected[id]
		if ok {
			mine = append(slices.Clone(mine), p...)
			entries = append(entries, p...)
		}
		b := domain.ComputeBalance(id, year, asOf, mine, pend[id])
		// A projection of 0 days has no entry to mark the balance.
		b.Projected = b.Projected || ok
		out[id] = b
	}
	return out, entries, nil
}

// projections returns, by member, the entitlement of a year after today's
// that the rollover has not booked yet (domain.ProjectedAccruals), for
// members (all when nil). A member is projected until the rollover of
// year-1 closes their year; present years cost nothing.
func (s *Store) projections(ctx context.Context, q sqlx.QueryerContext, members []string, year int, byMember map[string][]domain.LedgerEntry) (map[string][]domain.LedgerEntry, error) {
	today := s.today()
	if year <= today.Year() {
		return nil, nil
	}
	query := `SELECT ` + memberColumns + ` FROM members m
WHERE NOT EXISTS (SELECT 1 FROM year_closings c WHERE c.member_id = m.member_id AND c.year = $1)`
	args := []any{year - 1}
	if members != nil {
		query += ` AND member_id = ANY($2)`
		args = append(args, pq.Array(members))
	}
	var rows []memberRow
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("members to project: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.MemberID
	}
	prev, err := s.absencesOf(ctx, q, ids, year-1)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.LedgerEntry, len(rows))
	for _, r := range rows {
		if p, ok := domain.ProjectedAccruals(s.policy, r.domain(), year, today, false, byMember[r.MemberID], prev[r.MemberID]); ok {
			out[r.MemberID] = p
		}
	}
	return out, nil
}

// BalanceView is a balance with its explained lines.
type BalanceView struct {
	Balance domain.Balance
	Lines   []domain.StatementLine
}

// BalancesOf is the balance of each member for year, computed for them all
// at once exactly as Balance computes one (without the ledger lines): the
// approvers' queue shows each requester's.
func (s *Store) BalancesOf(ctx context.Context, members []string, year int) (map[string]domain.Balance, error) {
	if len(members) == 0 {
		return map[string]domain.Balance{}, nil
	}
	out, _, err := s.balances(ctx, s.db, members, year)
	return out, err
}

// Balance returns a member's balance for year with its statement.
func (s *Store) Balance(ctx context.Context, memberID string, year int) (BalanceView, error) {
	if _, err := s.member(ctx, s.db, memberID, false); err != nil {
		return BalanceView{}, err
	}
	b, entries, err := s.balance(ctx, s.db, memberID, year)
	if err != nil {
		return BalanceView{}, err
	}
	return BalanceView{Balance: b, Lines: domain.Statement(memberID, year, b.AsOf, entries)}, nil
}

// appendEntries validates and inserts ledger entries in one statement.
func (s *Store) appendEntries(ctx context.Context, tx sqlx.ExtContext, entries ...domain.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO ledger_entries (member_id, year, kind, days, effective_on, reason, request_id, created_by, created_at) VALUES `)
	args := make([]any, 0, len(entries)*9)
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("ledger entry for %s: %w", e.MemberID, err)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d::date, $%d, $%d::uuid, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9)
		var req any
		if e.RequestID != "" {
			req = e.RequestID
		}
		args = append(args, e.MemberID, e.Year, string(e.Kind), e.Days, dateArg(e.EffectiveOn), e.Reason, req, e.CreatedBy, e.CreatedAt)
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("append ledger entries: %w", err)
	}
	return nil
}

// AdjustmentInput is an admin's correction of a balance.
type AdjustmentInput struct {
	MemberID string
	Year     int
	Days     int
	Reason   string
}

// Adjust appends an adjustment entry with its reason. A negative adjustment
// may not take the balance below what pending requests hold.
func (s *Store) Adjust(ctx context.Context, in AdjustmentInput, actor string) (domain.Balance, error) {
	var out domain.Balance
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.member(ctx, tx, in.MemberID, true); err != nil {
			return err
		}
		e := domain.LedgerEntry{
			MemberID: in.MemberID, Year: in.Year, Kind: domain.KindAdjustment, Days: in.Days,
			EffectiveOn: domain.BalanceDate(in.Year, s.today()), Reason: in.Reason, CreatedBy: actor, CreatedAt: s.clk.Now(),
		}
		if err := e.Validate(); err != nil {
			return err
		}
		before, _, err := s.balance(ctx, tx, in.MemberID, in.Year)
		if err != nil {
			return err
		}
		if in.Days < 0 && before.Available+in.Days < 0 {
			return domain.Detail(domain.ErrBalanceExceeded, -in.Days, max(before.Available, 0))
		}
		if err := s.appendEntries(ctx, tx, e); err != nil {
			return err
		}
		if out, _, err = s.balance(ctx, tx, in.MemberID, in.Year); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "leave.balance.adjust", "member", in.MemberID, before, map[string]any{"days": in.Days, "reason": in.Reason, "balance": out.Days})
	})
	return out, err
}

// absences reads the member's recorded absences for year (zero when none).
func (s *Store) absences(ctx context.Context, q sqlx.QueryerContext, memberID string, year int) (domain.Absences, error) {
	var r struct {
		Personal int  `db:"personal_days"`
		Sick     int  `db:"sick_days"`
		First    bool `db:"leave_taken_first"`
	}
	err := sqlx.GetContext(ctx, q, &r, `SELECT personal_days, sick_days, leave_taken_first FROM absences WHERE member_id = $1 AND year = $2`, memberID, year)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Absences{}, nil
	}
	if err != nil {
		return domain.Absences{}, fmt.Errorf("absences of %s in %d: %w", memberID, year, err)
	}
	return domain.Absences{PersonalDays: r.Personal, SickDays: r.Sick, LeaveTakenFirst: r.First}, nil
}

// SetAbsences records a member's absences for year and applies their effect
// on the entitlement (Regulation art. 4) as a correction entry.
func (s *Store) SetAbsences(ctx context.Context, memberID string, year int, a domain.Absences, actor string) (domain.Balance, error) {
	var out domain.Balance
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		m, err := s.member(ctx, tx, memberID, true)
		if err != nil {
			return err
		}
		var ps fielderr.List
		if a.PersonalDays < 0 || a.PersonalDays > 366 {
			ps.Add("personal_days", domain.CodeOutOfRange, 0, 366)
		}
		if a.SickDays < 0 || a.SickDays > 366 {
			ps.Add("sick_days", domain.CodeOutOfRange, 0, 366)
		}
		if err := ps.Err(); err != nil {
			return err
		}
		before, err := s.absences(ctx, tx, memberID, year)
		if err != nil {
			return err
		}
		// leave_taken_first is a fact the system knows: was annual leave
		// already taken when the threshold was crossed?
		var taken int
		if err := sqlx.GetContext(ctx, tx, &taken, `SELECT COALESCE(-sum(days), 0) FROM ledger_entries WHERE member_id = $1 AND year = $2 AND kind IN ('taking', 'taking_reversal')`, memberID, year); err != nil {
			return fmt.Errorf("taken days: %w", err)
		}
		a.LeaveTakenFirst = before.LeaveTakenFirst || taken > 0
		if _, err := tx.ExecContext(ctx, `INSERT INTO absences (member_id, year, personal_days, sick_days, leave_taken_first, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (member_id, year) DO UPDATE SET personal_days = EXCLUDED.personal_days, sick_days = EXCLUDED.sick_days,
	leave_taken_first = EXCLUDED.leave_taken_first, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at, version = absences.version + 1`,
			memberID, year, a.PersonalDays, a.SickDays, a.LeaveTakenFirst, actor, s.clk.Now()); err != nil {
			return fmt.Errorf("record absences: %w", err)
		}
		if err := s.correctEntitlement(ctx, tx, m.Member, year, "leave.reason.absences", actor); err != nil {
			return err
		}
		if out, _, err = s.balance(ctx, tx, memberID, year); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "leave.absences.set", "member", memberID, before, a)
	})
	return out, err
}

// correctEntitlement recomputes m's entitlement for year and books the
// difference: the accruals themselves when the year has none yet (a new
// member), otherwise one correction entry with reason (a catalogue key).
func (s *Store) correctEntitlement(ctx context.Context, tx *sqlx.Tx, m domain.Member, year int, reason, actor string) error {
	entries, err := s.entries(ctx, tx, []string{m.ID}, year)
	if err != nil {
		return err
	}
	abs, err := s.absences(ctx, tx, m.ID, year)
	if err != nil {
		return err
	}
	prev, err := s.absences(ctx, tx, m.ID, year-1)
	if err != nil {
		return err
	}
	ent := domain.ComputeEntitlement(s.policy, m, year, abs, prev)
	now := s.clk.Now()
	accrued := false
	for _, e := range entries {
		accrued = accrued || e.Kind == domain.KindAccrual
	}
	if !accrued {
		return s.appendEntries(ctx, tx, ent.LedgerEntries(actor, now)...)
	}
	if c, ok := ent.Correction(entries, reason, actor, s.today(), now); ok {
		return s.appendEntries(ctx, tx, c)
	}
	return nil
}

// Entitlement returns how a member's entitlement for year is computed.
func (s *Store) Entitlement(ctx context.Context, memberID string, year int) (domain.Entitlement, error) {
	m, err := s.member(ctx, s.db, memberID, false)
	if err != nil {
		return domain.Entitlement{}, err
	}
	abs, err := s.absences(ctx, s.db, memberID, year)
	if err != nil {
		return domain.Entitlement{}, err
	}
	prev, err := s.absences(ctx, s.db, memberID, year-1)
	if err != nil {
		return domain.Entitlement{}, err
	}
	return domain.ComputeEntitlement(s.policy, m.Member, year, abs, prev), nil
}
