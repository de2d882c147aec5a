package domain

import (
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

// State is where an application stands in the approval chain.
type State string

// Application states. The order of the chain is draft → submitted →
// reviewed (caseworker review done; committee approvals collect here) →
// approved (budget committed) → disbursed (one-time) or active (recurring,
// paid monthly) → stopped. Rejected and withdrawn are final; returned goes
// back to the applicant, who resubmits.
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateReviewed  State = "reviewed"
	StateApproved  State = "approved"
	StateDisbursed State = "disbursed"
	StateActive    State = "active"
	StateStopped   State = "stopped"
	StateRejected  State = "rejected"
	StateReturned  State = "returned"
	StateWithdrawn State = "withdrawn"
)

// States lists every state, in chain order, for schema checks and docs.
var States = []State{StateDraft, StateSubmitted, StateReviewed, StateApproved, StateDisbursed, StateActive, StateStopped, StateRejected, StateReturned, StateWithdrawn}

// Live reports whether an application in s may still lead to (or has led
// to) a payment, which is what the duplicate-benefit check looks at.
func (s State) Live() bool {
	switch s {
	case StateSubmitted, StateReviewed, StateApproved, StateDisbursed, StateActive:
		return true
	}
	return false
}

// Actor is who performs a step.
type Actor struct {
	UserID   string
	MemberID string // empty for staff with no member record
	Roles    []roles.Role
}

// Has reports whether the actor holds r.
func (a Actor) Has(r roles.Role) bool { return slices.Contains(a.Roles, r) }

// Step names an action in an application's history.
type Step string

// Steps recorded in the append-only action log.
const (
	StepSubmit            Step = "submit"
	StepReview            Step = "review"
	StepCommitteeApproval Step = "committee_approval"
	StepDisburse          Step = "disburse"
	StepReject            Step = "reject"
	StepReturn            Step = "return"
	StepWithdraw          Step = "withdraw"
	StepStop              Step = "stop"
	StepRecheck           Step = "recheck"
)

// Action is one step taken, kept forever.
type Action struct {
	Round  int
	Step   Step
	Actor  string
	At     time.Time
	Reason string
}

// DuplicateFlag says another live application pays for the same event of
// the same member.
type DuplicateFlag struct {
	ApplicationID string `json:"application_id"`
	Number        string `json:"number"`
	ProgramID     string `json:"program_id"`
	EventRef      string `json:"event_ref"`
}

// Application is a request for a grant and its way through the chain.
type Application struct {
	ID     string
	Number string // GA-<fiscal year>-<seq>, shown to people
	FundID string
	// ProgramID and the program's policy are fixed at creation.
	ProgramID string
	// MemberID is the officer the application concerns.
	MemberID string
	// ApplicantUserID is who applies: the member, a dependant, or the
	// caseworker acting on their behalf (then also PreparedBy).
	ApplicantUserID   string
	ApplicantMemberID string
	// DependantID is the dependant who receives the grant, if not the member.
	DependantID string
	PreparedBy  string
	UnitID      string
	// EventRef identifies the life event paid for ("injury_case:<id>",
	// "death:<member id>"); two live applications with the same member and
	// EventRef are a possible duplicate benefit.
	EventRef        string
	State           State
	RequestedAmount money.Fen
	// Amount is the grant (per month when recurring).
	Amount    money.Fen
	Breakdown *Breakdown
	// Documents are the document kinds the applicant says are attached
	// (handed in on paper, for example); UploadedKinds are the kinds of its
	// uploaded files, read by the store and never written through the
	// aggregate. Both count for the required-documents check.
	Documents     []string
	UploadedKinds []string
	Recurring     bool
	// Round counts submissions: a return for documents starts a new round
	// and the approvals of the old one no longer count.
	Round          int
	Actions        []Action
	DuplicateFlags []DuplicateFlag
	DuplicateNote  string
	Reason         string // the reason of the last rejection or return, shown to the applicant
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NewApplication checks the creating input and returns a draft.
func NewApplication(a Application, at time.Time) (Application, error) {
	var p fielderr.List
	if a.ProgramID == "" {
		p.Add("program_id", CodeRequired)
	}
	if a.MemberID == "" {
		p.Add("member_id", CodeRequired)
	}
	if a.ApplicantUserID == "" {
		p.Add("applicant_user_id", CodeRequired)
	}
	if a.RequestedAmount < 0 {
		p.Add("requested_amount", CodeNegative)
	}
	if len(a.EventRef) > MaxNameLen {
		p.Add("event_ref", CodeTooLong, MaxNameLen)
	}
	if err := p.Err(); err != nil {
		return Application{}, err
	}
	if a.PreparedBy == "" {
		a.PreparedBy = a.ApplicantUserID
	}
	a.State = StateDraft
	a.Round = 1
	a.CreatedAt, a.UpdatedAt = at, at
	return a, nil
}

// isParty reports whether actor is on the applying side: the applicant, the
// preparer, the member concerned or the applicant's member record. Nobody
// approves an application they prepared or their own (DOMAIN.md).
func (a *Application) isParty(actor Actor) bool {
	if actor.UserID == a.ApplicantUserID || actor.UserID == a.PreparedBy {
		return true
	}
	return actor.MemberID != "" && (actor.MemberID == a.MemberID || actor.MemberID == a.ApplicantMemberID)
}

// actedThisRound reports whether user took any staff step in the current
// round; segregation of duties lets one person take only one of review,
// committee approval and disbursement.
func (a *Application) actedThisRound(user string) bool {
	for _, x := range a.Actions {
		if x.Round == a.Round && x.Actor == user && (x.Step == StepReview || x.Step == StepCommitteeApproval || x.Step == StepDisburse) {
			return true
		}
	}
	return false
}

// CommitteeApprovals counts the distinct approvers of the current round.
func (a *Application) CommitteeApprovals() int {
	n := 0
	for _, x := range a.Actions {
		if x.Round == a.Round && x.Step == StepCommitteeApproval {
			n++
		}
	}
	return n
}

func (a *Application) record(step Step, actor string, at time.Time, reason string) {
	a.Actions = append(a.Actions, Action{Round: a.Round, Step: step, Actor: actor, At: at, Reason: reason})
	a.UpdatedAt = at
}

func (a *Application) require(states ...State) error {
	if !slices.Contains(states, a.State) {
		return ErrTransition.With(string(a.State))
	}
	return nil
}

// Quote is the amount a program grants for an application and why.
type Quote struct {
	Amount    money.Fen
	Breakdown *Breakdown
}

// QuoteAmount finds the grant for a program: fixed, by grade, assessed need
// up to the cap (the requested amount), or a statutory calculator.
func QuoteAmount(p Program, f Facts, in CalcInput, requested money.Fen, rates RateBook) (Quote, error) {
	var pr fielderr.List
	if requested < 0 {
		pr.Add("requested_amount", CodeNegative)
	}
	switch p.Amount.Kind {
	case AmountFixed:
		if err := pr.Err(); err != nil {
			return Quote{}, err
		}
		return Quote{Amount: p.Amount.Fixed}, nil
	case AmountByGrade:
		g := f.DisabilityGrade
		if g < 1 || g > 10 {
			pr.Add("grade", CodeOutOfRange, 1, 10)
			return Quote{}, pr.Err()
		}
		if err := pr.Err(); err != nil {
			return Quote{}, err
		}
		return Quote{Amount: p.Amount.ByGrade[g-1]}, nil
	case AmountAssessed:
		switch {
		case requested == 0:
			pr.Add("requested_amount", CodeNotPositive)
		case requested > p.Amount.Cap:
			pr.Add("requested_amount", CodeOverCap, p.Amount.Cap.String())
		}
		if err := pr.Err(); err != nil {
			return Quote{}, err
		}
		return Quote{Amount: requested}, nil
	case AmountStatutory:
		if err := pr.Err(); err != nil {
			return Quote{}, err
		}
		b, err := Calculate(p.Amount.Calculator, in, rates)
		if err != nil {
			return Quote{}, err
		}
		return Quote{Amount: b.Total, Breakdown: &b}, nil
	}
	pr.Add("amount.kind", CodeUnknownValue, string(p.Amount.Kind))
	return Quote{}, pr.Err()
}

// Submit sends a draft or returned application into review: the program's
// documents must be attached and its rules met, and the quote becomes the
// application's amount.
func (a *Application) Submit(actor Actor, at time.Time, p Program, elig EligibilityResult, q Quote) error {
	if err := a.require(StateDraft, StateReturned); err != nil {
		return err
	}
	if actor.UserID != a.ApplicantUserID && actor.UserID != a.PreparedBy {
		return ErrTransition.With(string(a.State))
	}
	if missing := p.MissingDocuments(a.AttachedDocuments()); len(missing) > 0 {
		return fielderr.Fail("documents", CodeMissingDocs, strings.Join(missing, ", "))
	}
	if !elig.Eligible {
		return &IneligibleError{Result: elig}
	}
	if q.Amount <= 0 {
		return fielderr.Fail("amount", CodeNotPositive)
	}
	if a.State == StateReturned {
		a.Round++
	}
	a.Amount, a.Breakdown, a.Recurring = q.Amount, q.Breakdown, p.Recurring
	a.State, a.Reason = StateSubmitted, ""
	a.DuplicateFlags, a.DuplicateNote = nil, ""
	a.record(StepSubmit, actor.UserID, at, "")
	return nil
}

// Review is the caseworker's check of a submitted application.
func (a *Application) Review(actor Actor, at time.Time) error {
	if err := a.require(StateSubmitted); err != nil {
		return err
	}
	if !actor.Has(roles.Caseworker) {
		return ErrRoleRequired.With(string(roles.Caseworker))
	}
	if a.isParty(actor) {
		return ErrSelfApproval
	}
	a.State = StateReviewed
	a.record(StepReview, actor.UserID, at, "")
	return nil
}

// FlagDuplicates records the live applications paying for the same event;
// the store calls it with fresh data right before a committee approval.
func (a *Application) FlagDuplicates(others []Application) {
	a.DuplicateFlags = DetectDuplicates(*a, others)
}

// DetectDuplicates lists the other live applications for the same member
// and event (the same event paid twice, under one program or two).
func DetectDuplicates(a Application, others []Application) []DuplicateFlag {
	if a.EventRef == "" {
		return nil
	}
	var flags []DuplicateFlag
	for _, o := range others {
		if o.ID == a.ID || o.MemberID != a.MemberID || o.EventRef != a.EventRef || !o.State.Live() {
			continue
		}
		flags = append(flags, DuplicateFlag{ApplicationID: o.ID, Number: o.Number, ProgramID: o.ProgramID, EventRef: o.EventRef})
	}
	return flags
}

// Approve records a committee approval. final is true when this approval
// completes the chain's committee step (one approver, or the second distinct
// one above the policy's threshold): the caller must then commit the budget
// in the same transaction. A duplicate-benefit flag must be acknowledged
// with a note. comment is the approver's own remark, optional, kept with
// the approval in the history.
func (a *Application) Approve(actor Actor, at time.Time, policy ApprovalPolicy, duplicateNote, comment string) (final bool, err error) {
	if err := a.require(StateReviewed); err != nil {
		return false, err
	}
	if !actor.Has(roles.Approver) {
		return false, ErrRoleRequired.With(string(roles.Approver))
	}
	if a.isParty(actor) {
		return false, ErrSelfApproval
	}
	if a.actedThisRound(actor.UserID) {
		return false, ErrSameApprover
	}
	note := strings.TrimSpace(duplicateNote)
	if len(a.DuplicateFlags) > 0 && note == "" && a.DuplicateNote == "" {
		return false, ErrDuplicateUnacknowledged
	}
	var p fielderr.List
	if len([]rune(note)) > MaxReasonLen {
		p.Add("duplicate_note", CodeTooLong, MaxReasonLen)
	}
	comment = strings.TrimSpace(comment)
	if len([]rune(comment)) > MaxReasonLen {
		p.Add("comment", CodeTooLong, MaxReasonLen)
	}
	if err := p.Err(); err != nil {
		return false, err
	}
	if note != "" {
		a.DuplicateNote = note
	}
	a.record(StepCommitteeApproval, actor.UserID, at, approvalRemark(comment, note))
	if a.CommitteeApprovals() >= policy.CommitteeApprovalsNeeded(a.Amount) {
		a.State = StateApproved
		return true, nil
	}
	return false, nil
}

// approvalRemark is what the history keeps of an approval: the approver's
// comment, and the duplicate note when one was written with it.
func approvalRemark(comment, note string) string {
	switch {
	case comment == "":
		return note
	case note == "":
		return comment
	}
	return comment + "\n" + note
}

// PersonName is the one name an application shows for who applies: the
// dependant's when a dependant applies, else the member's. fallback (a
// name typed by a caseworker, or the account's) is used only when the
// service has not learnt the person's name from enrollment.
func PersonName(m *MemberRecord, dependantID, fallback string) string {
	if m != nil {
		if dependantID != "" {
			for _, d := range m.Dependants {
				if d.ID == dependantID && d.Name != "" {
					return d.Name
				}
			}
		} else if m.Name != "" {
			return m.Name
		}
	}
	return fallback
}

// FiledByOther reports whether the application was filed by someone other
// than the person who applies: a caseworker on their behalf, or the
// officer for one of their dependants. Then the page says who filed it.
func (a *Application) FiledByOther() bool {
	if a.PreparedBy != "" && a.PreparedBy != a.ApplicantUserID {
		return true
	}
	return a.DependantID != "" && a.ApplicantMemberID != a.DependantID
}

// Disburse is finance paying an approved grant: a one-time grant becomes
// disbursed; a recurring one becomes active and is paid month by month.
func (a *Application) Disburse(actor Actor, at time.Time) error {
	if err := a.require(StateApproved); err != nil {
		return err
	}
	if !actor.Has(roles.Finance) {
		return ErrRoleRequired.With(string(roles.Finance))
	}
	if a.isParty(actor) {
		return ErrSelfApproval
	}
	if a.actedThisRound(actor.UserID) {
		return ErrSameApprover
	}
	if a.Recurring {
		a.State = StateActive
	} else {
		a.State = StateDisbursed
	}
	a.record(StepDisburse, actor.UserID, at, "")
	return nil
}

// Reject ends the application with a reason shown to the applicant. The
// caseworker rejects at review, an approver during the committee step.
func (a *Application) Reject(actor Actor, at time.Time, reason string) error {
	return a.decline(actor, at, reason, StepReject, StateRejected)
}

// Return sends the application back for more documents with a reason; the
// applicant resubmits and the chain starts again.
func (a *Application) Return(actor Actor, at time.Time, reason string) error {
	return a.decline(actor, at, reason, StepReturn, StateReturned)
}

func (a *Application) decline(actor Actor, at time.Time, reason string, step Step, to State) error {
	if err := a.require(StateSubmitted, StateReviewed); err != nil {
		return err
	}
	need := roles.Caseworker
	if a.State == StateReviewed {
		need = roles.Approver
	}
	if !actor.Has(need) {
		return ErrRoleRequired.With(string(need))
	}
	if a.isParty(actor) {
		return ErrSelfApproval
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fielderr.Fail("reason", CodeRequired)
	}
	if len([]rune(reason)) > MaxReasonLen {
		return fielderr.Fail("reason", CodeTooLong, MaxReasonLen)
	}
	a.State, a.Reason = to, reason
	a.record(step, actor.UserID, at, reason)
	return nil
}

// Withdraw is the applicant taking the application back before approval.
func (a *Application) Withdraw(actor Actor, at time.Time) error {
	if err := a.require(StateDraft, StateSubmitted, StateReviewed, StateReturned); err != nil {
		return err
	}
	if actor.UserID != a.ApplicantUserID && actor.UserID != a.PreparedBy {
		return ErrTransition.With(string(a.State))
	}
	a.State = StateWithdrawn
	a.record(StepWithdraw, actor.UserID, at, "")
	return nil
}

// Stop ends an active recurring grant (after the recipient's death plus six
// months, or when a re-check finds it no longer due).
func (a *Application) Stop(actor Actor, at time.Time, reason string) error {
	if err := a.require(StateActive); err != nil {
		return err
	}
	if !actor.Has(roles.Caseworker) && !actor.Has(roles.Finance) {
		return ErrRoleRequired.With(string(roles.Caseworker))
	}
	a.State, a.Reason = StateStopped, strings.TrimSpace(reason)
	a.record(StepStop, actor.UserID, at, a.Reason)
	return nil
}
