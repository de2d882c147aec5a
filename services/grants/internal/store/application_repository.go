package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// Record is an application with what the service keeps beside the domain
// aggregate: the applicant's form and the display name used (masked) in
// exports.
type Record struct {
	App           domain.Application
	Form          domain.Form
	ApplicantName string
	// FiledByName names who filed the application when it was not the
	// person applying (a caseworker, the officer for a dependant).
	FiledByName  string
	CommittedAmt money.Fen
	NoticeID     string
	// ActorNames maps actor user ids to display names for the history.
	ActorNames map[string]string
	// Files are the uploaded documents (metadata only), oldest first;
	// loaded with one application, not in lists.
	Files []domain.Document
	// ProgramNameZH and ProgramNameEN name the application's program, for
	// lists (read only).
	ProgramNameZH, ProgramNameEN string
}

type applicationRow struct {
	ID                string         `db:"id"`
	Number            string         `db:"number"`
	FundID            string         `db:"fund_id"`
	ProgramID         string         `db:"program_id"`
	MemberID          string         `db:"member_id"`
	ApplicantUserID   string         `db:"applicant_user_id"`
	ApplicantMemberID string         `db:"applicant_member_id"`
	ApplicantName     string         `db:"applicant_name"`
	FiledByName       string         `db:"filed_by_name"`
	DependantID       string         `db:"dependant_id"`
	PreparedBy        string         `db:"prepared_by"`
	UnitID            string         `db:"unit_id"`
	EventRef          string         `db:"event_ref"`
	State             string         `db:"state"`
	RequestedAmount   int64          `db:"requested_amount"`
	Amount            int64          `db:"amount"`
	CommittedAmount   int64          `db:"committed_amount"`
	Breakdown         []byte         `db:"breakdown"`
	Facts             []byte         `db:"facts"`
	Documents         pq.StringArray `db:"documents"`
	UploadedKinds     pq.StringArray `db:"uploaded_kinds"`
	Recurring         bool           `db:"recurring"`
	Round             int            `db:"round"`
	DuplicateFlags    []byte         `db:"duplicate_flags"`
	DuplicateNote     string         `db:"duplicate_note"`
	Reason            string         `db:"reason"`
	NoticeID          *string        `db:"notice_id"`
	Version           int64          `db:"version"`
	CreatedAt         time.Time      `db:"created_at"`
	UpdatedAt         time.Time      `db:"updated_at"`
	ProgramNameZH     string         `db:"program_name_zh"`
	ProgramNameEN     string         `db:"program_name_en"`
}

const applicationCols = `id::text AS id, number, fund_id::text AS fund_id, program_id::text AS program_id, member_id, applicant_user_id,
	applicant_member_id, applicant_name, filed_by_name, dependant_id, prepared_by, unit_id, event_ref, state, requested_amount, amount,
	committed_amount, breakdown, facts, documents, recurring, round, duplicate_flags, duplicate_note, reason,
	notice_id::text AS notice_id, version, created_at, updated_at,
	ARRAY(SELECT DISTINCT d.kind FROM application_documents d WHERE d.application_id = applications.id ORDER BY d.kind) AS uploaded_kinds,
	coalesce((SELECT pn.name_zh FROM programs pn WHERE pn.id = applications.program_id), '') AS program_name_zh,
	coalesce((SELECT pn.name_en FROM programs pn WHERE pn.id = applications.program_id), '') AS program_name_en`

func (r applicationRow) record() (Record, error) {
	a := domain.Application{ID: r.ID, Number: r.Number, FundID: r.FundID, ProgramID: r.ProgramID, MemberID: r.MemberID,
		ApplicantUserID: r.ApplicantUserID, ApplicantMemberID: r.ApplicantMemberID, DependantID: r.DependantID,
		PreparedBy: r.PreparedBy, UnitID: r.UnitID, EventRef: r.EventRef, State: domain.State(r.State),
		RequestedAmount: money.Fen(r.RequestedAmount), Amount: money.Fen(r.Amount), Documents: []string(r.Documents),
		UploadedKinds: []string(r.UploadedKinds), Recurring: r.Recurring, Round: r.Round, DuplicateNote: r.DuplicateNote, Reason: r.Reason, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	rec := Record{ApplicantName: r.ApplicantName, FiledByName: r.FiledByName, CommittedAmt: money.Fen(r.CommittedAmount), ProgramNameZH: r.ProgramNameZH, ProgramNameEN: r.ProgramNameEN}
	if r.NoticeID != nil {
		rec.NoticeID = *r.NoticeID
	}
	if len(r.Breakdown) > 0 && string(r.Breakdown) != "null" {
		var b domain.Breakdown
		if err := json.Unmarshal(r.Breakdown, &b); err != nil {
			return rec, fmt.Errorf("application %s breakdown: %w", r.ID, err)
		}
		a.Breakdown = &b
	}
	if err := json.Unmarshal(r.Facts, &rec.Form); err != nil {
		return rec, fmt.Errorf("application %s form: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.DuplicateFlags, &a.DuplicateFlags); err != nil {
		return rec, fmt.Errorf("application %s flags: %w", r.ID, err)
	}
	rec.App = a
	return rec, nil
}

type actionRow struct {
	Round     int       `db:"round"`
	Step      string    `db:"step"`
	Actor     string    `db:"actor"`
	ActorName string    `db:"actor_name"`
	At        time.Time `db:"at"`
	Reason    string    `db:"reason"`
}

func (s *Store) loadActions(ctx context.Context, q sqlx.QueryerContext, rec *Record) error {
	var rs []actionRow
	if err := sqlx.SelectContext(ctx, q, &rs, `SELECT round, step, actor, actor_name, at, reason FROM application_actions
		WHERE application_id = $1 ORDER BY id`, rec.App.ID); err != nil {
		return fmt.Errorf("application %s actions: %w", rec.App.ID, err)
	}
	rec.ActorNames = map[string]string{}
	for _, r := range rs {
		rec.App.Actions = append(rec.App.Actions, domain.Action{Round: r.Round, Step: domain.Step(r.Step), Actor: r.Actor, At: r.At.UTC(), Reason: r.Reason})
		if r.ActorName != "" {
			rec.ActorNames[r.Actor] = r.ActorName
		}
	}
	return nil
}

// CreateApplication inserts a draft with the next number of its fund's
// fiscal year.
func (s *Store) CreateApplication(ctx context.Context, m Meta, rec Record) (Record, error) {
	var out Record
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		// the key-share lock waits for a program update in flight, so a
		// program deactivated meanwhile is seen as inactive here
		var prog struct {
			Year   int  `db:"fiscal_year"`
			Active bool `db:"active"`
		}
		if err := tx.GetContext(ctx, &prog, `SELECT f.fiscal_year, p.active FROM programs p JOIN funds f ON f.id = p.fund_id
			WHERE p.id = $1 FOR KEY SHARE OF p`, rec.App.ProgramID); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return fmt.Errorf("program year: %w", err)
		}
		if !prog.Active {
			return domain.ProgramInactive()
		}
		year := prog.Year
		var no int64
		if err := tx.GetContext(ctx, &no, `INSERT INTO application_counters AS c (fiscal_year, last_no) VALUES ($1, 1)
			ON CONFLICT (fiscal_year) DO UPDATE SET last_no = c.last_no + 1 RETURNING last_no`, year); err != nil {
			return fmt.Errorf("application number: %w", err)
		}
		a := rec.App
		a.Number = fmt.Sprintf("GA-%d-%06d", year, no)
		form, _ := json.Marshal(rec.Form)
		docs := a.Documents
		if docs == nil {
			docs = []string{}
		}
		var noticeID *string
		if rec.NoticeID != "" {
			noticeID = &rec.NoticeID
		}
		var r applicationRow
		err := tx.GetContext(ctx, &r, `INSERT INTO applications (number, fund_id, program_id, member_id, applicant_user_id, applicant_member_id,
			applicant_name, dependant_id, prepared_by, unit_id, event_ref, state, requested_amount, facts, documents, round, notice_id,
			created_at, updated_at, filed_by_name)
			SELECT $1, p.fund_id, p.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::uuid, $17, $17, $18
			FROM programs p WHERE p.id = $2 RETURNING `+applicationCols,
			a.Number, a.ProgramID, a.MemberID, a.ApplicantUserID, a.ApplicantMemberID, rec.ApplicantName, a.DependantID, a.PreparedBy,
			a.UnitID, a.EventRef, string(a.State), int64(a.RequestedAmount), form, pq.StringArray(docs), a.Round, noticeID, a.CreatedAt, rec.FiledByName)
		if err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		if out, err = r.record(); err != nil {
			return err
		}
		out.ActorNames = map[string]string{}
		if rec.NoticeID != "" {
			res, err := tx.ExecContext(ctx, `UPDATE notices SET state = 'converted', application_id = $2, version = version + 1, updated_at = $3
				WHERE id = $1 AND state = 'open'`, rec.NoticeID, out.App.ID, s.Clock.Now())
			if err != nil {
				return fmt.Errorf("convert notice: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return s.audit(ctx, tx, m, "grants.application.create", "application", out.App.ID, nil, auditView(out))
	})
	return out, err
}

// auditView is what the audit row records of an application: no names.
func auditView(r Record) any {
	a := r.App
	return map[string]any{"number": a.Number, "state": a.State, "amount": a.Amount, "requested_amount": a.RequestedAmount,
		"round": a.Round, "program_id": a.ProgramID, "member_id": a.MemberID, "reason": a.Reason, "duplicate_flags": a.DuplicateFlags,
		"duplicate_note": a.DuplicateNote, "version": a.Version}
}

// Application returns one application with its history.
func (s *Store) Application(ctx context.Context, id string) (Record, error) {
	return s.application(ctx, s.DB, id, false)
}

func (s *Store) application(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (Record, error) {
	if !ValidID(id) {
		return Record{}, ErrNotFound
	}
	query := `SELECT ` + applicationCols + ` FROM applications WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var r applicationRow
	if err := sqlx.GetContext(ctx, q, &r, query, id); err != nil {
		if isNoRows(err) {
			return Record{}, ErrNotFound
		}
		return Record{}, fmt.Errorf("application %s: %w", id, err)
	}
	rec, err := r.record()
	if err != nil {
		return rec, err
	}
	if err := s.loadActions(ctx, q, &rec); err != nil {
		return rec, err
	}
	return rec, s.loadFiles(ctx, q, &rec)
}

// ListFilter selects applications for a list. Access scoping is the
// caller's: it fills ApplicantUserID or Units from the identity.
type ListFilter struct {
	ApplicantUserID string
	MemberID        string
	Units           []string
	AnyUnit         bool
	States          []domain.State
	// Page is the page asked for (pkg/page): newest first, keyed by
	// (created_at, id).
	Page page.Request
}

// ApplicationsQuery is the list Applications reads: f's page, newest
// first, after (afterAt, afterID) when they are set. A person's own list
// (by applicant user, member or applicant member) is found on its three
// indexes, a unit's on applications_unit_state.
func ApplicationsQuery(f ListFilter, afterAt *time.Time, afterID *string) (string, []any) {
	states := make([]string, len(f.States))
	for i, st := range f.States {
		states[i] = string(st)
	}
	units := f.Units
	if units == nil {
		units = []string{}
	}
	return `SELECT ` + applicationCols + ` FROM applications
		WHERE ($1 = '' OR applicant_user_id = $1 OR ($2 <> '' AND (member_id = $2 OR applicant_member_id = $2)))
		AND ($3 OR unit_id = ANY($4))
		AND (cardinality($5::text[]) = 0 OR state = ANY($5))
		AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $8`,
		[]any{f.ApplicantUserID, f.MemberID, f.AnyUnit, pq.StringArray(units), pq.StringArray(states), afterAt, afterID, f.Page.Fetch()}
}

// Applications lists a page of applications, newest first, and the cursor
// of the next page ("" on the last).
func (s *Store) Applications(ctx context.Context, f ListFilter) ([]Record, string, error) {
	if f.Page.Limit <= 0 || f.Page.Limit > page.MaxLimit {
		f.Page.Limit = page.DefaultLimit
	}
	var (
		afterAt *time.Time
		afterID *string
	)
	var at time.Time
	var id string
	ok, err := f.Page.Decode(&at, &id)
	if err != nil {
		return nil, "", err
	}
	if ok {
		if !ValidID(id) {
			return nil, "", invalidID("after")
		}
		afterAt, afterID = &at, &id
	}
	var rs []applicationRow
	q, args := ApplicationsQuery(f, afterAt, afterID)
	err = s.DB.SelectContext(ctx, &rs, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("applications: %w", err)
	}
	out := make([]Record, 0, len(rs))
	for _, r := range rs {
		rec, err := r.record()
		if err != nil {
			return nil, "", err
		}
		out = append(out, rec)
	}
	out, next := page.Trim(f.Page, out, func(r Record) string { return page.Cursor(r.App.CreatedAt, r.App.ID) })
	return out, next, nil
}

// Change is the context an UpdateApplication callback works in.
type Change struct {
	Tx     *sqlx.Tx
	Record *Record
	// Program is the application's program, read in the same transaction.
	Program domain.Program
	// ActorName is recorded with the actions the callback adds.
	ActorName string
}

// UpdateApplication loads the application FOR UPDATE, checks the version
// (version 0 skips the check: system jobs), runs fn, and saves the new
// state, the actions fn added, and an audit row named action, in one
// transaction. fn may write more in c.Tx (budget, ledger, outbox).
func (s *Store) UpdateApplication(ctx context.Context, m Meta, action, id string, version int64, actorName string, fn func(ctx context.Context, c *Change) error) (Record, error) {
	var out Record
	err := pg.InTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		rec, err := s.application(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if version != 0 && rec.App.Version != version {
			return ErrVersionMismatch
		}
		prog, err := s.program(ctx, tx, rec.App.ProgramID, false)
		if err != nil {
			return err
		}
		before := auditView(rec)
		known := len(rec.App.Actions)
		c := &Change{Tx: tx, Record: &rec, Program: prog, ActorName: actorName}
		if err := fn(ctx, c); err != nil {
			return err
		}
		a := rec.App
		bd, _ := json.Marshal(a.Breakdown)
		flags := a.DuplicateFlags
		if flags == nil {
			flags = []domain.DuplicateFlag{}
		}
		fl, _ := json.Marshal(flags)
		form, _ := json.Marshal(rec.Form)
		docs := a.Documents
		if docs == nil {
			docs = []string{}
		}
		err = tx.GetContext(ctx, &rec.App.Version, `UPDATE applications SET state = $2, amount = $3, committed_amount = $4, breakdown = $5,
			facts = $6, documents = $7, recurring = $8, round = $9, duplicate_flags = $10, duplicate_note = $11, reason = $12,
			requested_amount = $13, version = version + 1, updated_at = $14 WHERE id = $1 RETURNING version`,
			a.ID, string(a.State), int64(a.Amount), int64(rec.CommittedAmt), bd, form, pq.StringArray(docs), a.Recurring, a.Round, fl,
			a.DuplicateNote, a.Reason, int64(a.RequestedAmount), s.Clock.Now())
		if err != nil {
			if pg.IsCheckViolation(err) {
				return domain.ErrTransition.With(string(a.State))
			}
			return fmt.Errorf("update application: %w", err)
		}
		for _, x := range a.Actions[known:] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO application_actions (application_id, round, step, actor, actor_name, at, reason)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, x.Round, string(x.Step), x.Actor, actorName, x.At, x.Reason); err != nil {
				if pg.IsUniqueViolation(err) {
					return domain.ErrSameApprover
				}
				return fmt.Errorf("insert action: %w", err)
			}
			if actorName != "" {
				rec.ActorNames[x.Actor] = actorName
			}
		}
		out = rec
		return s.audit(ctx, tx, m, action, "application", a.ID, before, auditView(rec))
	})
	return out, err
}

// LiveForEvent lists the other applications of member for the same event,
// read in tx, for the duplicate-benefit check before approval.
func (s *Store) LiveForEvent(ctx context.Context, tx *sqlx.Tx, memberID, eventRef string) ([]domain.Application, error) {
	if eventRef == "" {
		return nil, nil
	}
	var rs []applicationRow
	if err := tx.SelectContext(ctx, &rs, `SELECT `+applicationCols+` FROM applications WHERE member_id = $1 AND event_ref = $2`, memberID, eventRef); err != nil {
		return nil, fmt.Errorf("live applications: %w", err)
	}
	out := make([]domain.Application, 0, len(rs))
	for _, r := range rs {
		rec, err := r.record()
		if err != nil {
			return nil, err
		}
		out = append(out, rec.App)
	}
	return out, nil
}

// CommitBudget commits amount against the program's and the fund's
// remaining budget in tx, with conditional UPDATEs: under concurrency the
// second writer waits for the row lock and re-checks the condition on the
// committed row, so the budget can never be overspent. Program first, then
// fund, always in that order, so two approvals cannot deadlock.
func (s *Store) CommitBudget(ctx context.Context, tx *sqlx.Tx, fundID, programID string, amount money.Fen) error {
	if amount <= 0 {
		return fielderr.Fail("amount", domain.CodeNotPositive)
	}
	now := s.Clock.Now()
	var remaining int64
	err := tx.GetContext(ctx, &remaining, `UPDATE programs SET committed = committed + $2, version = version + 1, updated_at = $3
		WHERE id = $1 AND allocation - committed >= $2 RETURNING allocation - committed`, programID, int64(amount), now)
	if isNoRows(err) {
		_ = tx.GetContext(ctx, &remaining, `SELECT allocation - committed FROM programs WHERE id = $1`, programID)
		return domain.ErrBudgetExhausted.With(money.Fen(remaining).String(), amount.String())
	}
	if err != nil {
		return fmt.Errorf("commit program budget: %w", err)
	}
	err = tx.GetContext(ctx, &remaining, `UPDATE funds SET committed = committed + $2, version = version + 1, updated_at = $3
		WHERE id = $1 AND appropriation - committed >= $2 RETURNING appropriation - committed`, fundID, int64(amount), now)
	if isNoRows(err) {
		_ = tx.GetContext(ctx, &remaining, `SELECT appropriation - committed FROM funds WHERE id = $1`, fundID)
		return domain.ErrBudgetExhausted.With(money.Fen(remaining).String(), amount.String())
	}
	if err != nil {
		return fmt.Errorf("commit fund budget: %w", err)
	}
	return nil
}

// RecordDisbursement books a payment of amount for period (a month) of an
// application: the disbursement and payment entries, the disbursement row,
// and the disbursed counters. It returns the disbursement id.
func (s *Store) RecordDisbursement(ctx context.Context, tx *sqlx.Tx, a domain.Application, fundID string, fiscalYear int, period time.Time, amount money.Fen, actor string) (string, error) {
	day := clock.Today(s.Clock)
	summary := "发放资助 " + a.Number
	d := domain.DisbursementEntry(fiscalYear, day, amount, a.ProgramID, a.ID, summary)
	d.CreatedBy = actor
	d, err := s.PostEntry(ctx, tx, fundID, d)
	if err != nil {
		return "", err
	}
	p := domain.PaymentEntry(fiscalYear, day, amount, a.ProgramID, a.ID, "支付资助 "+a.Number)
	p.CreatedBy = actor
	if p, err = s.PostEntry(ctx, tx, fundID, p); err != nil {
		return "", err
	}
	now := s.Clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE programs SET disbursed = disbursed + $2, version = version + 1, updated_at = $3 WHERE id = $1`,
		a.ProgramID, int64(amount), now); err != nil {
		return "", fmt.Errorf("program disbursed: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE funds SET disbursed = disbursed + $2, version = version + 1, updated_at = $3 WHERE id = $1`,
		fundID, int64(amount), now); err != nil {
		return "", fmt.Errorf("fund disbursed: %w", err)
	}
	var id string
	err = tx.GetContext(ctx, &id, `INSERT INTO disbursements (application_id, period, amount, fund_id, program_id, entry_id, payment_entry_id,
		disbursed_by, disbursed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
		a.ID, domain.MonthOf(period), int64(amount), fundID, a.ProgramID, d.ID, p.ID, actor, now)
	if pg.IsUniqueViolation(err) {
		return "", domain.ErrTransition.With(string(a.State))
	}
	if err != nil {
		return "", fmt.Errorf("insert disbursement: %w", err)
	}
	return id, nil
}
