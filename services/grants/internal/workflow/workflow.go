// Package workflow runs the grants service's commands: it loads state
// through the store, lets the domain decide, and saves the decision with
// its budget commitment, ledger entries, audit row and events in one
// transaction. HTTP handlers, event consumers and jobs all go through it.
package workflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/events"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// Service runs the commands.
type Service struct {
	Store *store.Store
	Clock clock.Clock
}

// New returns a Service.
func New(s *store.Store, clk clock.Clock) *Service { return &Service{Store: s, Clock: clk} }

// Caller is who runs a command: the domain actor plus what the audit and
// the history need.
type Caller struct {
	Actor     domain.Actor
	Name      string
	RequestID string
}

func (c Caller) meta() store.Meta { return store.Meta{Actor: c.Actor.UserID, RequestID: c.RequestID} }

// Draft is the input of a new application.
type Draft struct {
	ProgramID         string
	MemberID          string
	ApplicantUserID   string
	ApplicantMemberID string
	ApplicantName     string
	// FiledByName is the filer's name, kept when the filer is not the
	// person applying (domain.Application.FiledByOther).
	FiledByName     string
	DependantID     string
	UnitID          string
	EventRef        string
	RequestedAmount money.Fen
	Documents       []string
	Form            domain.Form
	NoticeID        string
}

// CreateApplication creates a draft prepared by the caller.
func (s *Service) CreateApplication(ctx context.Context, c Caller, d Draft) (store.Record, error) {
	if err := d.Form.Validate(clock.Today(s.Clock)); err != nil {
		return store.Record{}, err
	}
	p, err := s.Store.Program(ctx, d.ProgramID)
	if err != nil {
		return store.Record{}, err
	}
	if !p.Active {
		return store.Record{}, domain.ProgramInactive()
	}
	if err := p.CheckForm(d.Form, d.RequestedAmount); err != nil {
		return store.Record{}, err
	}
	a, err := domain.NewApplication(domain.Application{ProgramID: d.ProgramID, MemberID: d.MemberID, ApplicantUserID: d.ApplicantUserID,
		ApplicantMemberID: d.ApplicantMemberID, DependantID: d.DependantID, PreparedBy: c.Actor.UserID, UnitID: d.UnitID,
		EventRef: d.EventRef, RequestedAmount: d.RequestedAmount, Documents: d.Documents}, s.Clock.Now())
	if err != nil {
		return store.Record{}, err
	}
	rec := store.Record{App: a, Form: d.Form, ApplicantName: d.ApplicantName, NoticeID: d.NoticeID}
	if a.FiledByOther() {
		rec.FiledByName = d.FiledByName
	}
	return s.Store.CreateApplication(ctx, c.meta(), rec)
}

// Assessment is the eligibility verdict and the amount quote of an
// application as it stands, for the applicant to see before submitting.
type Assessment struct {
	Eligibility domain.EligibilityResult
	Quote       *domain.Quote
	QuoteError  error
}

// Assess evaluates a record against its program without changing it.
func (s *Service) Assess(ctx context.Context, rec store.Record) (Assessment, error) {
	p, err := s.Store.Program(ctx, rec.App.ProgramID)
	if err != nil {
		return Assessment{}, err
	}
	return s.assess(ctx, s.Store.DB, p, rec)
}

// AssessAll is Assess for a page of records (the approvers' queue): each
// programme and the rate book are read once for the page, each member once
// per record.
func (s *Service) AssessAll(ctx context.Context, recs []store.Record) ([]Assessment, error) {
	out := make([]Assessment, 0, len(recs))
	if len(recs) == 0 {
		return out, nil
	}
	book, _, err := s.Store.Rates(ctx, s.Store.DB)
	if err != nil {
		return nil, err
	}
	// every member and grading of the page in two queries, not two per row
	ids := make([]string, 0, len(recs))
	for _, rec := range recs {
		ids = append(ids, rec.App.MemberID)
	}
	members, gradings, err := s.Store.Members(ctx, s.Store.DB, ids)
	if err != nil {
		return nil, err
	}
	programs := map[string]domain.Program{}
	for _, rec := range recs {
		p, ok := programs[rec.App.ProgramID]
		if !ok {
			if p, err = s.Store.Program(ctx, rec.App.ProgramID); err != nil {
				return nil, err
			}
			programs[rec.App.ProgramID] = p
		}
		out = append(out, assessOf(p, book, rec, members[rec.App.MemberID], gradings[rec.App.MemberID]))
	}
	return out, nil
}

func (s *Service) assess(ctx context.Context, q sqlx.QueryerContext, p domain.Program, rec store.Record) (Assessment, error) {
	book, _, err := s.Store.Rates(ctx, q)
	if err != nil {
		return Assessment{}, err
	}
	return s.assessWith(ctx, q, p, book, rec)
}

func (s *Service) assessWith(ctx context.Context, q sqlx.QueryerContext, p domain.Program, book domain.RateBook, rec store.Record) (Assessment, error) {
	m, g, err := s.Store.Member(ctx, q, rec.App.MemberID)
	if err != nil {
		return Assessment{}, err
	}
	return assessOf(p, book, rec, m, g), nil
}

// assessOf is rec's assessment under p with the member m and their latest
// grading g as the service knows them (nil when it knows none).
func assessOf(p domain.Program, book domain.RateBook, rec store.Record, m *domain.MemberRecord, g *domain.LatestGrading) Assessment {
	dep := rec.App.DependantID
	if dep == "" {
		dep = rec.App.ApplicantMemberID
	}
	facts, in := domain.Assess(rec.Form, m, g, dep)
	res := p.Eligibility.Evaluate(facts)
	quote, qerr := domain.QuoteAmount(p, facts, in, rec.App.RequestedAmount, book)
	out := Assessment{Eligibility: res, QuoteError: qerr}
	if qerr == nil {
		out.Quote = &quote
	}
	return out
}

// Edit changes a draft's or returned application's form, documents and
// requested amount.
func (s *Service) Edit(ctx context.Context, c Caller, id string, version int64, form domain.Form, docs []string, requested money.Fen) (store.Record, error) {
	if err := form.Validate(clock.Today(s.Clock)); err != nil {
		return store.Record{}, err
	}
	if requested < 0 {
		return store.Record{}, fielderr.Fail("requested_amount", domain.CodeNegative)
	}
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.edit", id, version, c.Name, func(_ context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if a.State != domain.StateDraft && a.State != domain.StateReturned {
			return domain.ErrTransition.With(string(a.State))
		}
		if c.Actor.UserID != a.ApplicantUserID && c.Actor.UserID != a.PreparedBy {
			return domain.ErrTransition.With(string(a.State))
		}
		if err := ch.Program.CheckForm(form, requested); err != nil {
			return err
		}
		ch.Record.Form, a.Documents, a.RequestedAmount = form, docs, requested
		return nil
	})
}

// Submit sends the application into review: eligibility, documents and
// amount are checked on fresh state and the breakdown is stored.
func (s *Service) Submit(ctx context.Context, c Caller, id string, version int64) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.submit", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		as, err := s.assess(ctx, ch.Tx, ch.Program, *ch.Record)
		if err != nil {
			return err
		}
		if as.QuoteError != nil && as.Eligibility.Eligible {
			return as.QuoteError
		}
		q := domain.Quote{}
		if as.Quote != nil {
			q = *as.Quote
		}
		if err := ch.Record.App.Submit(c.Actor, s.Clock.Now(), ch.Program, as.Eligibility, q); err != nil {
			return err
		}
		if err := s.flagDuplicates(ctx, ch); err != nil {
			return err
		}
		a := ch.Record.App
		return s.publish(ctx, ch, events.TypeApplicationSubmitted, events.ApplicationSubmitted{ApplicationID: a.ID, Number: a.Number,
			FundID: a.FundID, ProgramID: a.ProgramID, MemberID: a.MemberID, UnitID: a.UnitID, Amount: int64(a.Amount),
			Recurring: a.Recurring, Round: a.Round, SubmittedAt: s.Clock.Now()})
	})
}

func (s *Service) publish(ctx context.Context, ch *store.Change, typ string, data any) error {
	ev, err := bus.NewEvent(events.Source, typ, events.Version, ch.Record.App.ID, ch.Record.App.Version+1, data, s.Clock.Now())
	if err != nil {
		return err
	}
	return bus.Outbox(ctx, ch.Tx, ev)
}

// flagDuplicates records the other live applications for the same event,
// read in the change's transaction, so the caseworker and the committee
// see them before anyone approves (the approval checks them again).
func (s *Service) flagDuplicates(ctx context.Context, ch *store.Change) error {
	a := &ch.Record.App
	others, err := s.Store.LiveForEvent(ctx, ch.Tx, a.MemberID, a.EventRef)
	if err != nil {
		return err
	}
	a.FlagDuplicates(others)
	return nil
}

// Review is the caseworker's review.
func (s *Service) Review(ctx context.Context, c Caller, id string, version int64) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.review", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		if err := ch.Record.App.Review(c.Actor, s.Clock.Now()); err != nil {
			return err
		}
		return s.flagDuplicates(ctx, ch)
	})
}

// Approve records a committee approval. The final one commits the budget
// (program, then fund; conditional UPDATEs) and books the commitment entry
// in the same transaction; "budget exhausted" rolls everything back. The
// approver's comment is kept with the approval in the history.
func (s *Service) Approve(ctx context.Context, c Caller, id string, version int64, duplicateNote, comment string) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.approve", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if err := s.flagDuplicates(ctx, ch); err != nil {
			return err
		}
		final, err := a.Approve(c.Actor, s.Clock.Now(), ch.Program.Approval, duplicateNote, comment)
		if err != nil || !final {
			return err
		}
		commit := a.Amount
		if a.Recurring {
			r := domain.NewRecurring(a.ID, a.Amount, clock.Today(s.Clock))
			if commit, err = r.CommitmentForYear(); err != nil {
				return err
			}
		}
		fund, err := s.Store.Fund(ctx, ch.Tx, a.FundID)
		if err != nil {
			return err
		}
		if err := s.Store.CommitBudget(ctx, ch.Tx, a.FundID, a.ProgramID, commit); err != nil {
			return err
		}
		ch.Record.CommittedAmt = commit
		e := domain.CommitmentEntry(fund.FiscalYear, clock.Today(s.Clock), commit, a.ProgramID, a.ID, "资助承诺 "+a.Number)
		e.CreatedBy = c.Actor.UserID
		if _, err := s.Store.PostEntry(ctx, ch.Tx, a.FundID, e); err != nil {
			return err
		}
		var approvers []string
		for _, x := range a.Actions {
			if x.Round == a.Round && x.Step == domain.StepCommitteeApproval {
				approvers = append(approvers, x.Actor)
			}
		}
		return s.publish(ctx, ch, events.TypeApplicationApproved, events.ApplicationApproved{ApplicationID: a.ID, Number: a.Number,
			FundID: a.FundID, ProgramID: a.ProgramID, MemberID: a.MemberID, UnitID: a.UnitID, Amount: int64(a.Amount),
			CommittedAmount: int64(commit), Approvers: approvers, ApprovedAt: s.Clock.Now()})
	})
}

// Reject ends the application with a reason.
func (s *Service) Reject(ctx context.Context, c Caller, id string, version int64, reason string) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.reject", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if err := a.Reject(c.Actor, s.Clock.Now(), reason); err != nil {
			return err
		}
		return s.publish(ctx, ch, events.TypeApplicationRejected, events.ApplicationRejected{ApplicationID: a.ID, Number: a.Number,
			ProgramID: a.ProgramID, MemberID: a.MemberID, UnitID: a.UnitID, Reason: a.Reason, RejectedAt: s.Clock.Now()})
	})
}

// Return sends the application back for documents with a reason.
func (s *Service) Return(ctx context.Context, c Caller, id string, version int64, reason string) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.return", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if err := a.Return(c.Actor, s.Clock.Now(), reason); err != nil {
			return err
		}
		return s.publish(ctx, ch, events.TypeApplicationReturned, events.ApplicationReturned{ApplicationID: a.ID, Number: a.Number,
			ProgramID: a.ProgramID, MemberID: a.MemberID, UnitID: a.UnitID, Reason: reason, ReturnedAt: s.Clock.Now()})
	})
}

// Withdraw is the applicant taking the application back.
func (s *Service) Withdraw(ctx context.Context, c Caller, id string, version int64) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.withdraw", id, version, c.Name, func(_ context.Context, ch *store.Change) error {
		return ch.Record.App.Withdraw(c.Actor, s.Clock.Now())
	})
}

// Disburse is finance paying an approved grant: the one-time amount, or
// for a recurring grant its schedule starts and the months due so far are
// paid.
func (s *Service) Disburse(ctx context.Context, c Caller, id string, version int64) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.application.disburse", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if err := a.Disburse(c.Actor, s.Clock.Now()); err != nil {
			return err
		}
		fund, err := s.Store.Fund(ctx, ch.Tx, a.FundID)
		if err != nil {
			return err
		}
		today := clock.Today(s.Clock)
		if !a.Recurring {
			did, err := s.Store.RecordDisbursement(ctx, ch.Tx, *a, a.FundID, fund.FiscalYear, today, a.Amount, c.Actor.UserID)
			if err != nil {
				return err
			}
			return s.disbursed(ctx, ch, did, a.FundID, today, a.Amount)
		}
		approvedOn := today
		for _, x := range a.Actions {
			if x.Step == domain.StepCommitteeApproval && x.Round == a.Round {
				approvedOn = localDate(x.At)
			}
		}
		r := domain.NewRecurring(a.ID, a.Amount, approvedOn)
		if err := s.Store.CreateRecurring(ctx, ch.Tx, r); err != nil {
			return err
		}
		return s.payDue(ctx, ch, &r, fund, c.Actor.UserID)
	})
}

func (s *Service) disbursed(ctx context.Context, ch *store.Change, did, fundID string, period time.Time, amt money.Fen) error {
	a := ch.Record.App
	return s.publish(ctx, ch, events.TypeGrantDisbursed, events.GrantDisbursed{DisbursementID: did, ApplicationID: a.ID, Number: a.Number,
		FundID: fundID, ProgramID: a.ProgramID, MemberID: a.MemberID, DependantID: a.DependantID, Amount: int64(amt),
		Period: domain.MonthOf(period).Format(time.DateOnly), DisbursedAt: s.Clock.Now()})
}

// payDue pays the months of r due today. Months of the approval's fiscal
// year were committed at approval; a month of a later year is committed
// against that year's fund first (and waits when it has no budget).
func (s *Service) payDue(ctx context.Context, ch *store.Change, r *domain.Recurring, fund domain.Fund, actor string) error {
	months, _ := r.DueMonths(clock.Today(s.Clock))
	a := ch.Record.App
	for _, m := range months {
		fundID, year := fund.ID, fund.FiscalYear
		if m.Year() != fund.FiscalYear {
			f, err := s.Store.FundByYear(ctx, ch.Tx, m.Year())
			if err != nil {
				return err
			}
			fundID, year = f.ID, f.FiscalYear
			progID, err := s.Store.ProgramInFund(ctx, ch.Tx, fundID, ch.Program.Code)
			if err != nil {
				return err
			}
			a.ProgramID = progID
			if err := s.Store.CommitBudget(ctx, ch.Tx, fundID, progID, r.MonthlyAmount); err != nil {
				return err
			}
			e := domain.CommitmentEntry(year, clock.Today(s.Clock), r.MonthlyAmount, progID, a.ID, "定期资助承诺 "+a.Number)
			e.CreatedBy = actor
			if _, err := s.Store.PostEntry(ctx, ch.Tx, fundID, e); err != nil {
				return err
			}
		}
		did, err := s.Store.RecordDisbursement(ctx, ch.Tx, a, fundID, year, m, r.MonthlyAmount, actor)
		if err != nil {
			return err
		}
		if err := s.disbursed(ctx, ch, did, fundID, m, r.MonthlyAmount); err != nil {
			return err
		}
		r.Paid(m)
	}
	return s.Store.SaveRecurring(ctx, ch.Tx, *r)
}

// RunRecurring pays every active recurring grant's due months and stops
// the grants whose run after the recipient's death is complete. It is
// safe to run on several replicas at once (each grant is locked while
// paid) and to run again (months are paid once). It returns how many
// grants it paid or stopped.
//
// Most runs find most grants with nothing due (a run is hourly, a month is
// paid once): the schedules are read in one query, and only a grant with a
// month to pay or a run to end gets a transaction, an audit row and its
// events. The transaction decides again on the locked row.
func (s *Service) RunRecurring(ctx context.Context) (int, error) {
	schedules, err := s.Store.ActiveRecurring(ctx)
	if err != nil {
		return 0, err
	}
	today := clock.Today(s.Clock)
	system := Caller{Actor: domain.Actor{UserID: "system:grants", Roles: []roles.Role{roles.Finance}}}
	n := 0
	var errs []error
	for _, sched := range schedules {
		if due, _ := sched.DueMonths(today); len(due) == 0 && !sched.Finished() {
			continue
		}
		id := sched.ApplicationID
		_, err := s.Store.UpdateApplication(ctx, system.meta(), "grants.recurring.pay", id, 0, "", func(ctx context.Context, ch *store.Change) error {
			if ch.Record.App.State != domain.StateActive {
				return nil
			}
			r, err := s.Store.Recurring(ctx, ch.Tx, id)
			if err != nil {
				return err
			}
			fund, err := s.Store.Fund(ctx, ch.Tx, ch.Record.App.FundID)
			if err != nil {
				return err
			}
			if err := s.payDue(ctx, ch, &r, fund, system.Actor.UserID); err != nil {
				return err
			}
			if r.Finished() {
				// what was committed for months after the last one paid is given back
				if _, err := s.Store.ReleaseCommitment(ctx, ch.Tx, ch.Record.App, fund.ID, fund.FiscalYear, ch.Record.CommittedAmt, system.Actor.UserID); err != nil {
					return err
				}
				return ch.Record.App.Stop(system.Actor, s.Clock.Now(), "grants.stop.recipient_deceased")
			}
			return nil
		})
		if err != nil {
			// one grant without budget for the new year must not hold up the others
			errs = append(errs, fmt.Errorf("recurring grant %s: %w", id, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Recheck records the yearly re-check of a recurring grant.
func (s *Service) Recheck(ctx context.Context, c Caller, id string, version int64) (store.Record, error) {
	return s.Store.UpdateApplication(ctx, c.meta(), "grants.recurring.recheck", id, version, c.Name, func(ctx context.Context, ch *store.Change) error {
		a := &ch.Record.App
		if a.State != domain.StateActive {
			return domain.ErrTransition.With(string(a.State))
		}
		if !c.Actor.Has(roles.Caseworker) {
			return domain.ErrRoleRequired.With(string(roles.Caseworker))
		}
		r, err := s.Store.Recurring(ctx, ch.Tx, id)
		if err != nil {
			return err
		}
		r.Recheck(clock.Today(s.Clock))
		a.Actions = append(a.Actions, domain.Action{Round: a.Round, Step: domain.StepRecheck, Actor: c.Actor.UserID, At: s.Clock.Now()})
		return s.Store.SaveRecurring(ctx, ch.Tx, r)
	})
}

// localDate is the Asia/Shanghai calendar date of t as midnight UTC.
func localDate(t time.Time) time.Time {
	y, m, d := t.In(clock.Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
