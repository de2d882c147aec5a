package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

// The commands of a case: each action with its input, what it checks
// (validate) and what it changes (apply). Case.Apply in state_machine.go
// runs them.

// Acknowledge records that a caseworker has seen the new case; the first
// caseworker to take it is in charge, with the phone they give the officer.
type Acknowledge struct {
	Phone string
}

// Action implements Command.
func (Acknowledge) Action() Action { return ActAcknowledge }

func (cmd Acknowledge) validate(_ *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	checkPhone(&p, "phone", cmd.Phone)
	return p.Err()
}

func (cmd Acknowledge) apply(c *Case, who Actor, now time.Time, _ Policy, _ *Change) {
	c.AcknowledgedAt = now.UTC()
	c.takeCharge(who, cmd.Phone)
	c.stopClock(ClockAcknowledgement, now)
}

// ConfirmHandoff records that the hospital has the officer in care and has
// been guaranteed payment; treatment begins. It acknowledges the case too.
type ConfirmHandoff struct {
	Hospital  string
	Guarantee money.Fen
	// Phone is the caseworker's, for the officer, when they take the case
	// with this step.
	Phone string
}

// Action implements Command.
func (ConfirmHandoff) Action() Action { return ActConfirmHandoff }

func (cmd ConfirmHandoff) validate(_ *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	checkText(&p, "hospital", cmd.Hospital, maxPlaceRunes, true)
	checkPhone(&p, "phone", cmd.Phone)
	if cmd.Guarantee < 0 {
		p.Add("guarantee", "injury.amount_negative")
	}
	return p.Err()
}

func (cmd ConfirmHandoff) apply(c *Case, who Actor, now time.Time, _ Policy, _ *Change) {
	if c.AcknowledgedAt.IsZero() {
		c.AcknowledgedAt = now.UTC()
	}
	c.takeCharge(who, cmd.Phone)
	c.Hospital = cmd.Hospital
	c.HandoffAt = now.UTC()
	if cmd.Guarantee > 0 {
		c.Guarantees = append(c.Guarantees, Guarantee{Hospital: cmd.Hospital, Amount: cmd.Guarantee, At: now.UTC(), By: who.UserID})
	}
	c.stopClock(ClockAcknowledgement, now)
	c.stopClock(ClockHandoff, now)
	c.State = StateTreatment
}

// RecordGuarantee adds a further payment guarantee to a hospital.
type RecordGuarantee struct {
	Hospital string
	Amount   money.Fen
}

// Action implements Command.
func (RecordGuarantee) Action() Action { return ActRecordGuarantee }

func (cmd RecordGuarantee) validate(_ *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	checkText(&p, "hospital", cmd.Hospital, maxPlaceRunes, true)
	if cmd.Amount <= 0 {
		p.Add("amount", "injury.amount_not_positive")
	}
	return p.Err()
}

func (cmd RecordGuarantee) apply(c *Case, who Actor, now time.Time, _ Policy, _ *Change) {
	c.Guarantees = append(c.Guarantees, Guarantee{Hospital: cmd.Hospital, Amount: cmd.Amount, At: now.UTC(), By: who.UserID})
}

// IdentifyMember links a case opened for "unknown yet" to the member.
type IdentifyMember struct {
	MemberID string
	Category string
}

// Action implements Command.
func (IdentifyMember) Action() Action { return ActIdentifyMember }

func (cmd IdentifyMember) validate(_ *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	if cmd.MemberID == "" {
		p.Add("member_id", "injury.required")
	}
	return p.Err()
}

func (cmd IdentifyMember) apply(c *Case, _ Actor, now time.Time, _ Policy, _ *Change) {
	// The case is now the member's: the name as reported stays in the
	// timeline of the opening, and the case holds a member or a name,
	// never both (the cases table checks it).
	c.MemberID = cmd.MemberID
	c.UnknownName = ""
	c.Category = cmd.Category
	c.Coverage = Coverage{Status: CoveragePending, NextAttemptAt: now.UTC()}
}

// FileDetermination records the application for work-injury determination
// (工伤保险条例 art. 17). The unit's staff file as the unit; the member or
// family file as themselves, which the law allows for one year.
type FileDetermination struct {
	FiledOn time.Time
}

// Action implements Command.
func (FileDetermination) Action() Action { return ActFileDetermination }

func filerOf(who Actor, c *Case) Filer {
	if who.Has(roles.Caseworker, roles.UnitHead) && slices.Contains(who.Units, c.UnitID) {
		return FilerUnit
	}
	return FilerMember
}

func (cmd FileDetermination) validate(c *Case, who Actor, today time.Time) error {
	var p fielderr.List
	f := toDate(cmd.FiledOn)
	injury := c.InjuryDate()
	switch {
	case cmd.FiledOn.IsZero():
		p.Add("filed_on", "injury.required")
	case f.After(today):
		p.Add("filed_on", "injury.date_in_future")
	case f.Before(injury):
		p.Add("filed_on", "injury.date_before_injury")
	case filerOf(who, c) == FilerMember && f.After(AddMonths(injury, 12*MemberFilingYears)):
		p.Add("filed_on", "injury.filing_time_barred", MemberFilingYears)
	}
	return p.Err()
}

func (cmd FileDetermination) apply(c *Case, who Actor, now time.Time, pol Policy, _ *Change) {
	f := toDate(cmd.FiledOn)
	c.Determination = Determination{FiledOn: f, Filer: filerOf(who, c)}
	// Whoever files, both filing clocks are answered.
	c.stopClock(ClockUnitFiling, now)
	c.stopClock(ClockMemberFiling, now)
	c.startClock(pol.Acceptance(f), now)
	c.State = StateDeterminationFiling
}

// RequestDocuments records the authority's one request for missing papers
// (工伤认定办法 art. 8); it answers the acceptance clock.
type RequestDocuments struct {
	On time.Time
}

// Action implements Command.
func (RequestDocuments) Action() Action { return ActRequestDocuments }

func (cmd RequestDocuments) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	checkDate(&p, "on", cmd.On, c.Determination.FiledOn, "injury.date_before_filing", today)
	return p.Err()
}

func (cmd RequestDocuments) apply(c *Case, _ Actor, now time.Time, _ Policy, _ *Change) {
	c.Determination.DocumentsRequested = true
	c.Determination.DocumentsRequestOn = toDate(cmd.On)
	c.stopClock(ClockAcceptance, now)
}

// SupplementDocuments records that the missing papers were handed in; the
// authority then has 15 days again to accept.
type SupplementDocuments struct {
	On time.Time
}

// Action implements Command.
func (SupplementDocuments) Action() Action { return ActSupplementDocuments }

func (cmd SupplementDocuments) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	checkDate(&p, "on", cmd.On, c.Determination.DocumentsRequestOn, "injury.date_before_request", today)
	return p.Err()
}

func (cmd SupplementDocuments) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	c.startClock(pol.Acceptance(toDate(cmd.On)), now)
}

// AcceptFiling records that the authority accepted the application; the
// decision clock starts (工伤保险条例 art. 20).
type AcceptFiling struct {
	AcceptedOn time.Time
	ClearFacts bool
}

// Action implements Command.
func (AcceptFiling) Action() Action { return ActAcceptFiling }

func (cmd AcceptFiling) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	checkDate(&p, "accepted_on", cmd.AcceptedOn, c.Determination.FiledOn, "injury.date_before_filing", today)
	return p.Err()
}

func (cmd AcceptFiling) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	on := toDate(cmd.AcceptedOn)
	c.Determination.AcceptedOn = on
	c.Determination.ClearFacts = cmd.ClearFacts
	c.stopClock(ClockAcceptance, now)
	c.startClock(pol.Decision(on, cmd.ClearFacts), now)
}

// PauseDecision stops the decision clock while a court's or another
// authority's finding is awaited (工伤保险条例 art. 20 para. 3).
type PauseDecision struct {
	Reason string
}

// Action implements Command.
func (PauseDecision) Action() Action { return ActPauseDecision }

func (cmd PauseDecision) validate(_ *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	checkText(&p, "reason", cmd.Reason, maxCommentRunes, true)
	return p.Err()
}

func (cmd PauseDecision) apply(c *Case, _ Actor, now time.Time, _ Policy, _ *Change) {
	c.Determination.Paused = true
	c.Determination.PauseReason = cmd.Reason
	if k := c.Clock(ClockDecision); k != nil {
		k.Pause(now)
	}
}

// ResumeDecision restarts the decision clock once the finding is in.
type ResumeDecision struct{}

// Action implements Command.
func (ResumeDecision) Action() Action { return ActResumeDecision }

func (ResumeDecision) apply(c *Case, _ Actor, now time.Time, _ Policy, _ *Change) {
	c.Determination.Paused = false
	if k := c.Clock(ClockDecision); k != nil {
		k.Resume(now)
	}
}

// Decide records the determination: recognised (art. 14), deemed (art. 15) or
// rejected (art. 16), with the clause it rests on.
type Decide struct {
	DecidedOn time.Time
	Outcome   Outcome
	Clause    int
	Reason    string
}

// Action implements Command.
func (Decide) Action() Action { return ActDecide }

func (cmd Decide) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	d := toDate(cmd.DecidedOn)
	switch {
	case cmd.DecidedOn.IsZero():
		p.Add("decided_on", "injury.required")
	case d.After(today):
		p.Add("decided_on", "injury.date_in_future")
	case d.Before(c.Determination.FiledOn):
		p.Add("decided_on", "injury.decision_before_filing")
	case d.Before(c.Determination.AcceptedOn):
		p.Add("decided_on", "injury.decision_before_acceptance")
	}
	n, ok := clauseCount[cmd.Outcome]
	switch {
	case !ok:
		p.Add("outcome", "injury.outcome_invalid")
	case cmd.Clause < 1 || cmd.Clause > n:
		p.Add("clause", "injury.clause_invalid", cmd.Outcome.Article(), n)
	}
	if cmd.Outcome == OutcomeRejected {
		checkText(&p, "reason", cmd.Reason, maxCommentRunes, true)
	} else {
		checkText(&p, "reason", cmd.Reason, maxCommentRunes, false)
	}
	return p.Err()
}

func (cmd Decide) apply(c *Case, _ Actor, now time.Time, pol Policy, ch *Change) {
	d := &c.Determination
	d.DecidedOn = toDate(cmd.DecidedOn)
	d.Outcome, d.Clause, d.Reason = cmd.Outcome, cmd.Clause, cmd.Reason
	c.stopClock(ClockDecision, now)
	if cmd.Outcome.Covered() && PoliceCategory(c.Category) {
		c.startClock(pol.PoliceGrading(c.InjuryDate()), now)
	}
	c.State = StateDeterminationDecided
	ch.Events = append(ch.Events, EventDetermined)
}

// PoliceCategory reports whether a member category falls under the police
// 抚恤 rules (人民警察法 art. 41), which add the 3-year grading clock.
func PoliceCategory(category string) bool {
	return category == "police" || category == "judicial_police"
}

// RequestGrading records the application for disability grading (art. 23).
type RequestGrading struct {
	AppliedOn time.Time
}

// Action implements Command.
func (RequestGrading) Action() Action { return ActRequestGrading }

func (cmd RequestGrading) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	checkDate(&p, "applied_on", cmd.AppliedOn, c.Determination.DecidedOn, "injury.date_before_decision", today)
	return p.Err()
}

func (cmd RequestGrading) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	on := toDate(cmd.AppliedOn)
	c.Grading = Grading{Round: RoundInitial, AppliedOn: on, Pending: true}
	c.stopClock(ClockPoliceGrading, now)
	c.startClock(pol.Grading(on), now)
	c.State = StateDisabilityGrading
}

// ExtendGrading records the one 30-day extension of grading (art. 25).
type ExtendGrading struct{}

// Action implements Command.
func (ExtendGrading) Action() Action { return ActExtendGrading }

func (ExtendGrading) apply(c *Case, _ Actor, _ time.Time, _ Policy, _ *Change) {
	c.Grading.Extended = true
	if k := c.Clock(ClockGrading); k != nil {
		k.Extend(GradingExtensionDays)
	}
}

// RecordGrade records the conclusion of the current grading round: grade 1
// (worst) to 10, or 0 for no disability grade, with the nursing level (art.
// 22, 34). After an appeal or a review it replaces the grade in force. A
// municipal conclusion (initial or review) opens the 15-day appeal window
// from ReceivedOn, the day it reached the applicant (GradedOn when not
// given); the provincial one is final and opens none.
type RecordGrade struct {
	GradedOn   time.Time
	ReceivedOn time.Time // optional
	Grade      int
	Nursing    NursingLevel
}

// Action implements Command.
func (RecordGrade) Action() Action { return ActRecordGrade }

func (cmd RecordGrade) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	checkDate(&p, "graded_on", cmd.GradedOn, c.Grading.AppliedOn, "injury.date_before_application", today)
	if !cmd.ReceivedOn.IsZero() && !cmd.GradedOn.IsZero() {
		checkDate(&p, "received_on", cmd.ReceivedOn, toDate(cmd.GradedOn), "injury.date_before_conclusion", today)
	}
	if cmd.Grade < 0 || cmd.Grade > 10 {
		p.Add("grade", "injury.grade_invalid")
	}
	if !cmd.Nursing.Valid() {
		p.Add("nursing", "injury.nursing_invalid")
	}
	return p.Err()
}

func (cmd RecordGrade) apply(c *Case, _ Actor, now time.Time, pol Policy, ch *Change) {
	g := &c.Grading
	g.PreviousGrade, g.HasPrevious = 0, false
	if g.Graded {
		g.PreviousGrade, g.HasPrevious = g.Grade, true
	}
	g.GradedOn = toDate(cmd.GradedOn)
	g.ReceivedOn = g.GradedOn
	if !cmd.ReceivedOn.IsZero() {
		g.ReceivedOn = toDate(cmd.ReceivedOn)
	}
	g.Grade = cmd.Grade
	g.Nursing = cmd.Nursing
	g.Graded = true
	g.Pending = false
	c.stopClock(ClockGrading, now)
	if g.Round != RoundAppeal {
		c.startClock(pol.Appeal(g.ReceivedOn), now)
	}
	ch.Events = append(ch.Events, EventGraded)
}

// FileAppeal records that the applicant asked the provincial committee to
// re-assess the municipal conclusion (再次鉴定, art. 26), on FiledOn, within
// the 15-day window. The appeal clock stops (met) and the provincial
// committee's 60-day clock starts (art. 29 applies art. 25's period); its
// conclusion is recorded with record_grade.
type FileAppeal struct {
	FiledOn time.Time
	Note    string
}

// Action implements Command.
func (FileAppeal) Action() Action { return ActFileAppeal }

func (cmd FileAppeal) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	// No later than today, which the guard keeps inside the window.
	checkDate(&p, "filed_on", cmd.FiledOn, c.Grading.ReceivedOn, "injury.date_before_conclusion", today)
	checkText(&p, "note", cmd.Note, maxCommentRunes, false)
	return p.Err()
}

func (cmd FileAppeal) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	on := toDate(cmd.FiledOn)
	g := &c.Grading
	g.AppealedOn, g.AppealNote = on, cmd.Note
	g.Round, g.AppliedOn, g.Extended, g.Pending = RoundAppeal, on, false, true
	c.stopClock(ClockAppeal, now)
	c.startClock(pol.Grading(on), now)
}

// RequestRegrading records an application for re-grading because the
// injury has changed: 复查鉴定 (art. 28) for the work-injury scheme, 调整残疾
// 等级 under 伤残抚恤管理办法 for police. Both wait a year after the last
// conclusion (RegradingFrom). The grade in force stays until the new
// conclusion replaces it.
type RequestRegrading struct {
	AppliedOn time.Time
}

// Action implements Command.
func (RequestRegrading) Action() Action { return ActRequestRegrading }

func (cmd RequestRegrading) validate(c *Case, _ Actor, today time.Time) error {
	var p fielderr.List
	from := c.Grading.RegradingFrom()
	checkDate(&p, "applied_on", cmd.AppliedOn, time.Time{}, "", today)
	if !cmd.AppliedOn.IsZero() && toDate(cmd.AppliedOn).Before(from) {
		p.Add("applied_on", "injury.regrading_too_early", from.Format(time.DateOnly))
	}
	return p.Err()
}

func (cmd RequestRegrading) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	on := toDate(cmd.AppliedOn)
	g := &c.Grading
	g.Round, g.AppliedOn, g.Extended, g.Pending = RoundReview, on, false, true
	g.AppealedOn, g.AppealNote = time.Time{}, ""
	c.startClock(pol.Grading(on), now)
}

// StartLeave starts paid injury leave (停工留薪期, art. 33): 12 months.
type StartLeave struct {
	Start time.Time
}

// Action implements Command.
func (StartLeave) Action() Action { return ActStartLeave }

func (cmd StartLeave) validate(c *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	s := toDate(cmd.Start)
	switch {
	case cmd.Start.IsZero():
		p.Add("start", "injury.required")
	case s.Before(c.InjuryDate()):
		p.Add("start", "injury.date_before_injury")
	}
	return p.Err()
}

func (cmd StartLeave) apply(c *Case, _ Actor, now time.Time, pol Policy, _ *Change) {
	l := LeavePeriod(toDate(cmd.Start), 0)
	c.Leave = l
	c.startClock(pol.InjuryLeave(l.Start, l.End), now)
}

// ExtendLeave extends injury leave; the extensions total at most 12 months.
type ExtendLeave struct {
	Months int
}

// Action implements Command.
func (ExtendLeave) Action() Action { return ActExtendLeave }

func (cmd ExtendLeave) validate(c *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	left := LeaveExtensionMonths - c.Leave.ExtendedMonths
	if cmd.Months < 1 || cmd.Months > left {
		p.Add("months", "injury.leave_extension_range", left)
	}
	return p.Err()
}

func (cmd ExtendLeave) apply(c *Case, _ Actor, _ time.Time, _ Policy, _ *Change) {
	l := LeavePeriod(c.Leave.Start, c.Leave.ExtendedMonths+cmd.Months)
	c.Leave.End, c.Leave.ExtendedMonths = l.End, l.ExtendedMonths
	if k := c.Clock(ClockInjuryLeave); k != nil {
		k.ExtendTo(startOfDay(l.End.AddDate(0, 0, 1)))
	}
}

// EndLeave ends injury leave early: the member is back at work.
type EndLeave struct {
	On time.Time
}

// Action implements Command.
func (EndLeave) Action() Action { return ActEndLeave }

func (cmd EndLeave) validate(c *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	on := toDate(cmd.On)
	switch {
	case cmd.On.IsZero():
		p.Add("on", "injury.required")
	case on.Before(c.Leave.Start):
		p.Add("on", "injury.date_before_leave")
	case on.After(c.Leave.End):
		p.Add("on", "injury.date_after_leave")
	}
	return p.Err()
}

func (cmd EndLeave) apply(c *Case, _ Actor, now time.Time, _ Policy, _ *Change) {
	c.Leave.EndedEarlyOn = toDate(cmd.On)
	c.stopClock(ClockInjuryLeave, now)
}

// Close ends the case. The reason must fit how far the case got: a rejected
// determination closes as rejected, a graded case as completed, a case
// before filing as withdrawn or duplicate.
type Close struct {
	Reason CloseReason
}

// Action implements Command.
func (Close) Action() Action { return ActClose }

func (cmd Close) validate(c *Case, _ Actor, _ time.Time) error {
	var p fielderr.List
	if !cmd.Reason.Valid() {
		p.Add("reason", "injury.close_reason_invalid")
	} else if !slices.Contains(c.CloseReasons(), cmd.Reason) {
		p.Add("reason", c.closeStage())
	}
	return p.Err()
}

// CloseReasons are the reasons a case may close with at its stage: before
// a determination it was withdrawn or reported twice; a rejected
// determination closes as rejected; a recognised one, or a graded case, as
// completed. Pages offer exactly these, so the rule lives here only.
func (c *Case) CloseReasons() []CloseReason {
	switch c.State {
	case StateTriage, StateTreatment, StateDeterminationFiling:
		return []CloseReason{CloseWithdrawn, CloseDuplicate}
	case StateDeterminationDecided:
		if c.Determination.Outcome == OutcomeRejected {
			return []CloseReason{CloseRejected}
		}
		return []CloseReason{CloseCompleted}
	case StateDisabilityGrading:
		return []CloseReason{CloseCompleted}
	}
	return nil
}

// closeStage is the catalogue key saying which reasons the case's stage
// allows, in words rather than the state's code.
func (c *Case) closeStage() string {
	switch c.State {
	case StateTriage, StateTreatment, StateDeterminationFiling:
		return "injury.close_reason_unfit.before_decision"
	case StateDeterminationDecided:
		if c.Determination.Outcome == OutcomeRejected {
			return "injury.close_reason_unfit.rejected"
		}
		return "injury.close_reason_unfit.recognised"
	}
	return "injury.close_reason_unfit.grading"
}

func (cmd Close) apply(c *Case, _ Actor, now time.Time, _ Policy, ch *Change) {
	for i := range c.Clocks {
		k := &c.Clocks[i]
		// Injury leave is pay already granted: it runs to its end even
		// after the case file closes. A passed appeal window lapsed.
		if k.Kind != ClockInjuryLeave && !k.Lapse(now) {
			k.Cancel(now)
		}
	}
	c.State = StateClosed
	c.ClosedAt = now.UTC()
	c.CloseReason = cmd.Reason
	ch.Events = append(ch.Events, EventClosed)
}

// checkDate requires a date no later than today and no earlier than after
// (when after is set), reporting beforeCode otherwise.
func checkDate(p *fielderr.List, field string, v, after time.Time, beforeCode string, today time.Time) {
	d := toDate(v)
	switch {
	case v.IsZero():
		p.Add(field, "injury.required")
	case d.After(today):
		p.Add(field, "injury.date_in_future")
	case !after.IsZero() && d.Before(after):
		p.Add(field, beforeCode)
	}
}

// toDate drops the time of day: dates travel as midnight UTC.
func toDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
