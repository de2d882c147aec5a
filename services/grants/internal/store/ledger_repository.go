package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/export"
)

// Chart returns the chart of accounts.
func (s *Store) Chart(ctx context.Context) ([]domain.Account, error) {
	return s.chart(ctx, s.DB)
}

func (s *Store) chart(ctx context.Context, q sqlx.QueryerContext) ([]domain.Account, error) {
	var rs []struct {
		Code      string `db:"code"`
		NameZH    string `db:"name_zh"`
		NameEN    string `db:"name_en"`
		Kind      string `db:"kind"`
		Normal    string `db:"normal_side"`
		Confirmed bool   `db:"confirmed"`
	}
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT code, name_zh, name_en, kind, normal_side, confirmed FROM accounts WHERE active ORDER BY code`); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	out := make([]domain.Account, len(rs))
	for i, r := range rs {
		out[i] = domain.Account{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Kind: domain.AccountKind(r.Kind), Normal: domain.Side(r.Normal), Confirmed: r.Confirmed}
	}
	return out, nil
}

// AddAccount adds a configurable account to the chart.
func (s *Store) AddAccount(ctx context.Context, m Meta, a domain.Account) error {
	return pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO accounts (code, name_zh, name_en, kind, normal_side) VALUES ($1, $2, $3, $4, $5)`,
			a.Code, a.NameZH, a.NameEN, string(a.Kind), string(a.NormalSide()))
		switch {
		case pg.IsUniqueViolation(err):
			return fielderr.Fail("code", "grants.field.duplicate")
		case pg.IsCheckViolation(err):
			return fielderr.Fail("code", domain.CodeUnknownValue, a.Code)
		case err != nil:
			return fmt.Errorf("add account: %w", err)
		}
		return s.audit(ctx, tx, m, "grants.account.add", "account", a.Code, nil, a)
	})
}

// PostEntry validates e against the chart and inserts it with its lines in
// tx. The database assigns the voucher number (gap-free per fiscal year)
// and checks the balance again at commit.
func (s *Store) PostEntry(ctx context.Context, tx *sqlx.Tx, fundID string, e domain.Entry) (domain.Entry, error) {
	chart, err := s.chart(ctx, tx)
	if err != nil {
		return e, err
	}
	if err := e.Validate(chart); err != nil {
		return e, err
	}
	var reversalOf *int64
	if e.ReversalOf != "" {
		id, err := strconv.ParseInt(e.ReversalOf, 10, 64)
		if err != nil {
			return e, ErrNotFound
		}
		reversalOf = &id
	}
	var row struct {
		ID        int64     `db:"id"`
		VoucherNo int64     `db:"voucher_no"`
		CreatedAt time.Time `db:"created_at"`
	}
	err = tx.GetContext(ctx, &row, `INSERT INTO journal_entries (fiscal_year, voucher_no, entry_date, kind, summary, fund_id, reversal_of, created_by, created_at)
		VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, voucher_no, created_at`,
		e.FiscalYear, e.Date, string(e.Kind), e.Summary, fundID, reversalOf, e.CreatedBy, s.Clock.Now())
	if pg.IsUniqueViolation(err) && reversalOf != nil {
		return e, domain.ErrAlreadyReversed
	}
	if err != nil {
		return e, fmt.Errorf("insert entry: %w", err)
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO journal_lines (entry_id, line_no, account_code, debit, credit, program_id, application_id) VALUES `)
	args := make([]any, 0, len(e.Lines)*7)
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, NULLIF($%d, '')::uuid, NULLIF($%d, '')::uuid)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, row.ID, i+1, l.AccountCode, int64(l.Debit), int64(l.Credit), l.ProgramID, l.ApplicationID)
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return e, fmt.Errorf("insert lines: %w", err)
	}
	e.ID, e.VoucherNo, e.CreatedAt = strconv.FormatInt(row.ID, 10), row.VoucherNo, row.CreatedAt
	return e, nil
}

type lineRow struct {
	EntryID       int64     `db:"entry_id"`
	FiscalYear    int       `db:"fiscal_year"`
	VoucherNo     int64     `db:"voucher_no"`
	EntryDate     time.Time `db:"entry_date"`
	Kind          string    `db:"kind"`
	Summary       string    `db:"summary"`
	FundID        string    `db:"fund_id"`
	ReversalOf    *int64    `db:"reversal_of"`
	CreatedBy     string    `db:"created_by"`
	CreatedAt     time.Time `db:"created_at"`
	AccountCode   string    `db:"account_code"`
	Debit         int64     `db:"debit"`
	Credit        int64     `db:"credit"`
	ProgramID     string    `db:"program_id"`
	ApplicationID string    `db:"application_id"`
}

const entrySelect = `SELECT e.id AS entry_id, e.fiscal_year, e.voucher_no, e.entry_date, e.kind, e.summary, e.fund_id::text AS fund_id,
	e.reversal_of, e.created_by, e.created_at, l.account_code, l.debit, l.credit,
	coalesce(l.program_id::text, '') AS program_id, coalesce(l.application_id::text, '') AS application_id
	FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id`

func entriesFromRows(rs []lineRow) ([]domain.Entry, []string) {
	var out []domain.Entry
	var funds []string
	for _, r := range rs {
		if len(out) == 0 || out[len(out)-1].ID != strconv.FormatInt(r.EntryID, 10) {
			e := domain.Entry{ID: strconv.FormatInt(r.EntryID, 10), FiscalYear: r.FiscalYear, VoucherNo: r.VoucherNo, Date: r.EntryDate.UTC(),
				Kind: domain.EntryKind(r.Kind), Summary: r.Summary, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
			if r.ReversalOf != nil {
				e.ReversalOf = strconv.FormatInt(*r.ReversalOf, 10)
			}
			out = append(out, e)
			funds = append(funds, r.FundID)
		}
		last := &out[len(out)-1]
		last.Lines = append(last.Lines, domain.Line{AccountCode: r.AccountCode, Debit: money.Fen(r.Debit), Credit: money.Fen(r.Credit),
			ProgramID: r.ProgramID, ApplicationID: r.ApplicationID})
	}
	return out, funds
}

// Entry returns one entry with its lines and its fund id.
func (s *Store) Entry(ctx context.Context, id string) (domain.Entry, string, error) {
	return s.entry(ctx, s.DB, id)
}

func (s *Store) entry(ctx context.Context, q sqlx.QueryerContext, id string) (domain.Entry, string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return domain.Entry{}, "", ErrNotFound
	}
	var rs []lineRow
	if err := sqlx.SelectContext(ctx, q, &rs, entrySelect+` WHERE e.id = $1 ORDER BY l.line_no`, n); err != nil {
		return domain.Entry{}, "", fmt.Errorf("entry %s: %w", id, err)
	}
	es, funds := entriesFromRows(rs)
	if len(es) == 0 {
		return domain.Entry{}, "", ErrNotFound
	}
	return es[0], funds[0], nil
}

// EntryFilter selects ledger lines for listing and export.
type EntryFilter struct {
	FundID    string
	ProgramID string // empty: every program and the fund-level lines
	From, To  time.Time
	After     *EntryKey // keyset pagination for listings: the last entry shown
	Limit     int
}

// EntryKey is where an entry stands in a fund's ledger: by date, then in
// the order it was posted.
type EntryKey struct {
	Date time.Time
	ID   int64
}

// KeyOf is e's place in its fund's ledger.
func KeyOf(e domain.Entry) EntryKey {
	id, _ := strconv.ParseInt(e.ID, 10, 64)
	return EntryKey{Date: e.Date, ID: id}
}

// EntriesQuery is a page of a fund's entries (f.Limit of them, each with
// its lines) by date and posting order, after f.After. It walks the
// fund's entries from the page's start (journal_entries_fund_date), so its
// cost is the page, not the fund's year nor the other funds' entries.
func EntriesQuery(f EntryFilter) (string, []any) {
	after := EntryKey{Date: f.From} // every entry of the first day: ids start at 1
	if f.After != nil {
		after = *f.After
	}
	args := []any{f.FundID, f.From, f.To, after.Date, after.ID, f.Limit}
	// A programme's filter is its own text, not "$n IS NULL OR ...": under
	// the OR the planner cannot join the lines, and hashes all of the
	// programme's lines to test each entry of the page.
	program := ""
	if f.ProgramID != "" {
		program = ` AND EXISTS (SELECT 1 FROM journal_lines l2 WHERE l2.entry_id = e2.id AND l2.program_id = $7)`
		args = append(args, f.ProgramID)
	}
	// The fund leads the key and the order although it is fixed: ordered by
	// (entry_date, id) alone, the planner may walk journal_entries_date from
	// the first day and filter out every earlier fund's entries (60 ms
	// against 0.3 ms on a province of five years).
	return entrySelect + ` WHERE e.id IN (
		SELECT e2.id FROM journal_entries e2 WHERE e2.fund_id = $1 AND e2.entry_date BETWEEN $2 AND $3
		AND (e2.fund_id, e2.entry_date, e2.id) > ($1::uuid, $4::date, $5::bigint)` + program + `
		ORDER BY e2.fund_id, e2.entry_date, e2.id LIMIT $6) ORDER BY e.entry_date, e.id, l.line_no`, args
}

// Entries lists entries of a fund by date and posting order.
func (s *Store) Entries(ctx context.Context, f EntryFilter) ([]domain.Entry, error) {
	// a page of pkg/page reads one row more than it shows
	f.Limit = min(max(f.Limit, 0), page.MaxLimit+1)
	if f.Limit == 0 {
		f.Limit = page.DefaultLimit + 1
	}
	if !ValidID(f.FundID) {
		return nil, ErrNotFound
	}
	if f.ProgramID != "" && !ValidID(f.ProgramID) {
		return nil, invalidID("program_id")
	}
	var rs []lineRow
	q, args := EntriesQuery(f)
	if err := s.DB.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, fmt.Errorf("entries: %w", err)
	}
	es, _ := entriesFromRows(rs)
	return es, nil
}

// Reverse books the reversal of an entry dated today and keeps the fund's
// and program's counters equal to the ledger: reversing a commitment frees
// budget, reversing a disbursement un-disburses, reversing an appropriation
// reduces it (refused when that would leave commitments uncovered).
func (s *Store) Reverse(ctx context.Context, m Meta, entryID, reason string) (domain.Entry, error) {
	var out domain.Entry
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		orig, fundID, err := s.entry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if orig.Kind == domain.EntryReversal {
			return domain.ErrAlreadyReversed
		}
		rev := orig.Reverse(orig.Date, m.Actor)
		if reason != "" {
			rev.Summary += "（" + reason + "）"
		}
		if today := s.Clock.Now(); today.Year() == orig.FiscalYear {
			rev.Date = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		}
		rev.FiscalYear = orig.FiscalYear
		if out, err = s.PostEntry(ctx, tx, fundID, rev); err != nil {
			return err
		}
		if err := s.undoCounters(ctx, tx, fundID, orig); err != nil {
			return err
		}
		return s.audit(ctx, tx, m, "grants.entry.reverse", "entry", orig.ID, orig, out)
	})
	return out, err
}

func (s *Store) undoCounters(ctx context.Context, tx *sqlx.Tx, fundID string, e domain.Entry) error {
	type delta struct {
		col, acct string
		sign      money.Fen // -1 undoes an increase, +1 undoes a decrease
	}
	var d delta
	switch e.Kind {
	case domain.EntryCommitment:
		d = delta{"committed", domain.Acct9101, -1}
	case domain.EntryRelease:
		d = delta{"committed", domain.Acct9101, 1}
	case domain.EntryDisbursement:
		d = delta{"disbursed", domain.Acct5001, -1}
	case domain.EntryAppropriation:
		d = delta{"appropriation", domain.Acct4001, -1}
	default:
		return nil
	}
	byProgram := map[string]money.Fen{}
	var total money.Fen
	for _, l := range e.Lines {
		if l.AccountCode != d.acct {
			continue
		}
		amt := (l.Debit + l.Credit) * -d.sign
		total += amt
		if l.ProgramID != "" && d.col != "appropriation" {
			byProgram[l.ProgramID] += amt
		}
	}
	for pid, amt := range byProgram {
		if _, err := tx.ExecContext(ctx, `UPDATE programs SET `+d.col+` = `+d.col+` - $1, version = version + 1, updated_at = $3 WHERE id = $2`,
			int64(amt), pid, s.Clock.Now()); err != nil {
			if pg.IsCheckViolation(err) {
				return domain.ErrBudgetExhausted.With(money.Fen(0).String(), amt.String())
			}
			return fmt.Errorf("undo program %s: %w", d.col, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE funds SET `+d.col+` = `+d.col+` - $1, version = version + 1, updated_at = $3 WHERE id = $2`,
		int64(total), fundID, s.Clock.Now()); err != nil {
		if pg.IsCheckViolation(err) {
			return domain.ErrBudgetExhausted.With(money.Fen(0).String(), total.String())
		}
		return fmt.Errorf("undo fund %s: %w", d.col, err)
	}
	if d.col == "appropriation" {
		// the allocation check is deferred to commit; run it now so the
		// answer is this request's problem, not a failed commit
		if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS funds_cover_allocations IMMEDIATE`); err != nil {
			if pg.IsCheckViolation(err) {
				return domain.ErrAppropriationShort
			}
			return fmt.Errorf("check allocations: %w", err)
		}
	}
	return nil
}

// SumsQuery is the per-account sums of a fund's lines up to asOf
// (inclusive), of every programme and the fund-level lines, or of one
// programme. It reads the ledger's per-day totals, never the lines: its
// cost is the fund's days, accounts and programmes, not its entries.
func SumsQuery(fundID, programID string, asOf time.Time) (string, []any) {
	return `SELECT account_code, sum(debit)::bigint AS debit, sum(credit)::bigint AS credit
		FROM ledger_day_totals
		WHERE fund_id = $1 AND day <= $2 AND ($3::uuid IS NULL OR program_id = $3)
		GROUP BY account_code ORDER BY account_code`, []any{fundID, asOf, optID(programID)}
}

// ProgramSumsQuery is SumsQuery for every programme of a fund at once,
// grouped by programme; fund-level lines are left out.
func ProgramSumsQuery(fundID string, asOf time.Time) (string, []any) {
	return `SELECT program_id::text AS program_id, account_code, sum(debit)::bigint AS debit, sum(credit)::bigint AS credit
		FROM ledger_day_totals
		WHERE fund_id = $1 AND day <= $2 AND program_id IS NOT NULL
		GROUP BY program_id, account_code ORDER BY program_id, account_code`, []any{fundID, asOf}
}

type sumRow struct {
	ProgramID string `db:"program_id"`
	Code      string `db:"account_code"`
	Debit     int64  `db:"debit"`
	Credit    int64  `db:"credit"`
}

func (r sumRow) sum() domain.AccountSum {
	return domain.AccountSum{Code: r.Code, Debit: money.Fen(r.Debit), Credit: money.Fen(r.Credit)}
}

// sums returns per-account sums of a fund's lines up to asOf (inclusive),
// optionally for one program.
func (s *Store) sums(ctx context.Context, fundID, programID string, asOf time.Time) ([]domain.AccountSum, error) {
	var rs []sumRow
	q, args := SumsQuery(fundID, programID, asOf)
	if err := s.DB.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, fmt.Errorf("account sums: %w", err)
	}
	out := make([]domain.AccountSum, len(rs))
	for i, r := range rs {
		out[i] = r.sum()
	}
	return out, nil
}

// TrialBalance is the fund's trial balance at asOf.
func (s *Store) TrialBalance(ctx context.Context, fundID, programID string, asOf time.Time) (domain.TrialBalance, error) {
	if programID != "" && !ValidID(programID) {
		return domain.TrialBalance{}, invalidID("program_id")
	}
	if !ValidID(fundID) {
		return domain.TrialBalance{}, ErrNotFound
	}
	chart, err := s.Chart(ctx)
	if err != nil {
		return domain.TrialBalance{}, err
	}
	sums, err := s.sums(ctx, fundID, programID, asOf)
	if err != nil {
		return domain.TrialBalance{}, err
	}
	return domain.BuildTrialBalance(chart, sums)
}

// Position is the fund's position at asOf, overall (ProgramID "") and per
// program. A program's appropriation is its allocation; the fund's is the
// ledger's 4001 balance.
func (s *Store) Position(ctx context.Context, fundID string, asOf time.Time) ([]domain.FundPosition, error) {
	if _, err := s.Fund(ctx, nil, fundID); err != nil {
		return nil, err
	}
	sums, err := s.sums(ctx, fundID, "", asOf)
	if err != nil {
		return nil, err
	}
	out := []domain.FundPosition{domain.PositionFromSums("", sums)}
	progs, err := s.Programs(ctx, fundID)
	if err != nil {
		return nil, err
	}
	var rs []sumRow
	q, args := ProgramSumsQuery(fundID, asOf)
	if err := s.DB.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, fmt.Errorf("programme sums: %w", err)
	}
	byProgram := map[string][]domain.AccountSum{}
	for _, r := range rs {
		byProgram[r.ProgramID] = append(byProgram[r.ProgramID], r.sum())
	}
	for _, p := range progs {
		pos := domain.PositionFromSums(p.ID, byProgram[p.ID])
		pos.Appropriated = p.Allocation
		pos.Remaining = pos.Appropriated - pos.Committed
		out = append(out, pos)
	}
	return out, nil
}

// ExportFilter selects the lines of a ledger export.
type ExportFilter struct {
	FundID    string    `json:"fund_id"`
	ProgramID string    `json:"program_id,omitempty"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
}

const exportWhere = ` WHERE e.fund_id = $1 AND e.entry_date BETWEEN $2 AND $3 AND ($4::uuid IS NULL OR l.program_id = $4)`

// CountLines counts the lines an export will write, for its progress.
func (s *Store) CountLines(ctx context.Context, f ExportFilter) (int64, error) {
	var n int64
	err := s.DB.GetContext(ctx, &n, `SELECT count(*) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id`+exportWhere,
		f.FundID, f.From, f.To, optID(f.ProgramID))
	return n, err
}

// StreamLines calls fn for every line of the export in voucher order,
// reading the rows one by one from the server (never the whole result in
// memory). English account names are used when en is true.
func (s *Store) StreamLines(ctx context.Context, f ExportFilter, en bool, fn func(export.Row) error) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT e.fiscal_year, e.voucher_no, e.entry_date, e.summary, l.account_code,
		CASE WHEN $5 AND a.name_en <> '' THEN a.name_en ELSE a.name_zh END,
		l.debit, l.credit, coalesce(CASE WHEN $5 AND p.name_en <> '' THEN p.name_en ELSE p.name_zh END, ''),
		coalesce(ap.number, ''), coalesce(ap.applicant_name, ''), coalesce(ar.names, '')
		FROM journal_lines l
		JOIN journal_entries e ON e.id = l.entry_id
		JOIN accounts a ON a.code = l.account_code
		LEFT JOIN programs p ON p.id = l.program_id
		LEFT JOIN applications ap ON ap.id = l.application_id
		LEFT JOIN (SELECT x.application_id, string_agg(CASE WHEN x.actor_name <> '' THEN x.actor_name ELSE x.actor END, '、' ORDER BY x.id) AS names
		           FROM application_actions x JOIN applications y ON y.id = x.application_id AND y.round = x.round
		           WHERE x.step = 'committee_approval' GROUP BY x.application_id) ar ON ar.application_id = l.application_id`+exportWhere+`
		ORDER BY e.fiscal_year, e.voucher_no, l.line_no`, f.FundID, f.From, f.To, optID(f.ProgramID), en)
	if err != nil {
		return fmt.Errorf("export query: %w", err)
	}
	defer rows.Close()
	var (
		year           int
		no             int64
		date           time.Time
		debit, credit  int64
		r              export.Row
		name, approver string
	)
	for rows.Next() {
		if err := rows.Scan(&year, &no, &date, &r.Summary, &r.AccountCode, &r.AccountName, &debit, &credit, &r.Program,
			&r.Application, &name, &approver); err != nil {
			return fmt.Errorf("export scan: %w", err)
		}
		r.Voucher = domain.Voucher(year, no)
		r.Date = date
		r.Debit, r.Credit = money.Fen(debit), money.Fen(credit)
		// in full: the export is finance's, who reconcile it with the
		// bank's payee names; each export is audited
		r.Applicant = name
		r.Approvers = approver
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// errNoRows is sql.ErrNoRows for the repositories' checks.
var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

// ReleaseCommitment gives back the part of an application's commitment in
// a fund that was not disbursed, in tx: the release entry and the
// counters. It returns the amount released (0 when nothing is left).
func (s *Store) ReleaseCommitment(ctx context.Context, tx *sqlx.Tx, a domain.Application, fundID string, fiscalYear int, committed money.Fen, actor string) (money.Fen, error) {
	var paid int64
	if err := tx.GetContext(ctx, &paid, `SELECT coalesce(sum(amount), 0)::bigint FROM disbursements WHERE application_id = $1 AND fund_id = $2`,
		a.ID, fundID); err != nil {
		return 0, fmt.Errorf("disbursed so far: %w", err)
	}
	left := committed - money.Fen(paid)
	if left <= 0 {
		return 0, nil
	}
	e := domain.ReleaseEntry(fiscalYear, clock.Today(s.Clock), left, a.ProgramID, a.ID, "释放未用承诺 "+a.Number)
	e.CreatedBy = actor
	if _, err := s.PostEntry(ctx, tx, fundID, e); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE programs SET committed = committed - $2, version = version + 1, updated_at = $3 WHERE id = $1`,
		a.ProgramID, int64(left), now); err != nil {
		return 0, fmt.Errorf("release program commitment: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE funds SET committed = committed - $2, version = version + 1, updated_at = $3 WHERE id = $1`,
		fundID, int64(left), now); err != nil {
		return 0, fmt.Errorf("release fund commitment: %w", err)
	}
	return left, nil
}
